package org.clusterpool.coordinator.cli.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.clusterpool.coordinator.cluster.ClusterDowning;
import org.clusterpool.coordinator.cluster.CoordinatorNode;
import org.clusterpool.coordinator.cluster.NodeSupervision;
import org.clusterpool.node.launcher.JvmSpec;
import org.clusterpool.node.launcher.NodeExit;
import org.clusterpool.node.launcher.NodeSupervisor;
import org.clusterpool.node.launcher.SupervisedNode;
import org.clusterpool.node.launcher.SupervisionSettings;

/**
 * The worker JVMs of {@code cluster up}, started and supervised by its coordinator JVM: the JVM that owns the
 * processes, the only one that sees them end. A worker JVM that ends has its member downed at once and is started
 * again after a backoff ({@link NodeSupervisor}); {@code --no-restart} leaves it dead. The state file says, at each
 * change, each node's current pid, its restarts and how its last JVM ended, for the commands that read it. The worker
 * JVMs watch this JVM ({@code --parent-pid}) and leave when it ends, however it ends; when it stops (SIGTERM from
 * {@code cluster down}), it stops supervising first, then stops them, before it leaves the cluster itself.
 */
public final class SupervisedCluster {
  private SupervisedCluster() {}

  /** What {@code cluster up} asks of its coordinator JVM (its hidden options). */
  public record Options(int nodes, int workersPerNode, String heap, Path logs, Path stateFile, boolean restart) {}

  /** Starts supervising: writes the state file, starts the worker JVMs, and returns once they run (not yet joined). */
  public static NodeSupervisor start(CoordinatorNode node, String http, int httpPort, Options options) {
    ActorSystem<Void> system = node.system();
    int port = system.address().getPort().get();
    ProcessHandle self = ProcessHandle.current();
    ClusterState.Member coordinator = new ClusterState.Member(ClusterState.COORDINATOR, ClusterState.COORDINATOR, port, self.pid(),
        Processes.startMillis(self), ClusterState.RUNNING, 0, Optional.empty());
    Instant started = self.info().startInstant().orElse(Instant.now());
    StateWriter state = new StateWriter(options.stateFile(),
        new ClusterState(http, node.address(), options.logs().toString(), options.workersPerNode(), options.heap(), started,
            options.restart(), List.of(coordinator)));
    state.changed(List.of()); // at once: 'cluster down' finds this JVM even before its workers start

    NodeSupervisor.Specs specs = (name, nodePort) -> {
      JvmSpec worker = JvmSpec.workerNode(name, nodePort, List.of(node.address()), options.workersPerNode(), self.pid(),
          options.logs().resolve(name + ".log"));
      return new JvmSpec(worker.name(), worker.mainClass(), worker.args(), options.heap(), worker.logFile(), Map.of());
    };
    NodeSupervisor supervisor = new NodeSupervisor(specs, port + 1, Set.of(port, httpPort),
        SupervisionSettings.fromConfig(system.settings().config()), options.restart(), new ClusterDowning(system), state);
    NodeSupervision.get(system).register(supervisor);
    stopWithThisMember(system, supervisor);
    supervisor.addAndWait(options.nodes());
    return supervisor;
  }

  /**
   * When this member shuts down, supervision stops first (nothing is started again), then the worker JVMs leave the
   * cluster, while this member is still in it and hears them go; those still there at the end of the phase are killed.
   */
  private static void stopWithThisMember(ActorSystem<?> system, NodeSupervisor supervisor) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(Adapter.toClassic(system));
    String phase = CoordinatedShutdown.PhaseBeforeServiceUnbind();
    Duration grace = Duration.ofMillis(Math.max(1000, shutdown.timeout(phase).toMillis() - 2000));
    shutdown.addTask(phase, "clusterpool-stop-worker-jvms", () -> {
      CompletableFuture<Done> stopped = new CompletableFuture<>();
      Thread stopping = new Thread(() -> {
        try {
          supervisor.close(grace);
        } finally {
          stopped.complete(Done.getInstance());
        }
      }, "clusterpool-stop-worker-jvms");
      stopping.start();
      return stopped;
    });
  }

  /** Writes the state file at each change of the nodes: the coordinator's entry, then each worker node's. */
  private static final class StateWriter implements NodeSupervisor.Listener {
    private final Path file;
    private final ClusterState base;

    StateWriter(Path file, ClusterState base) {
      this.file = file;
      this.base = base;
    }

    @Override
    public void changed(List<SupervisedNode> nodes) {
      List<ClusterState.Member> members = new ArrayList<>(base.members());
      for (SupervisedNode n : nodes) {
        members.add(new ClusterState.Member(n.name(), ClusterState.WORKER, n.port(), n.pid(), n.processStartMillis(), status(n.state()),
            n.restarts(), n.lastExit().map(StateWriter::exit)));
      }
      StateFile.write(file, new ClusterState(base.http(), base.seed(), base.logs(), base.workersPerNode(), base.heap(), base.started(),
          base.restart(), members));
    }

    private static String status(SupervisedNode.State state) {
      return switch (state) {
        case RUNNING -> ClusterState.RUNNING;
        case RESTARTING -> ClusterState.RESTARTING;
        case DEAD -> ClusterState.DEAD;
      };
    }

    private static ClusterState.Exit exit(NodeExit e) {
      return new ClusterState.Exit(e.pid(), e.cause(), e.at(), e.uptime().toMillis(), e.member().phrase(),
          e.restartDelay().map(Duration::toMillis).orElse(-1L), e.logTail());
    }
  }
}
