package org.clusterpool.coordinator.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.clusterpool.coordinator.connect.ClusterState;
import org.clusterpool.coordinator.connect.StateFile;
import org.clusterpool.coordinator.members.ClusterDowning;
import org.clusterpool.coordinator.members.CoordinatorNode;
import org.clusterpool.coordinator.members.NodeSupervision;
import org.clusterpool.node.catalog.TaskPaths;
import org.clusterpool.node.launcher.JvmSpec;
import org.clusterpool.node.launcher.MemberDowning;
import org.clusterpool.node.launcher.NodeExit;
import org.clusterpool.node.launcher.NodeSupervisor;
import org.clusterpool.node.launcher.SupervisedNode;
import org.clusterpool.node.launcher.SupervisionSettings;
import org.clusterpool.node.tls.ClusterCa;
import org.clusterpool.node.tls.ClusterCredentials;
import org.clusterpool.node.tls.MemberTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker JVMs of {@code cluster up}, started and supervised by its coordinator JVM: the JVM
 * that owns the processes, the only one that sees them end. A worker JVM that ends has its member
 * downed at once and is started again after a backoff ({@link NodeSupervisor}); {@code
 * --no-restart} leaves it dead. The state file says, at each change, each node's current pid, its
 * restarts and how its last JVM ended, for the commands that read it. The worker JVMs watch this
 * JVM ({@code --parent-pid}) and leave when it ends, however it ends; when it stops (SIGTERM from
 * {@code cluster down}), it stops supervising first, then stops them, before it leaves the cluster
 * itself.
 *
 * <p>The worker JVMs start before this JVM's own member ({@link #start}), so that their start-up
 * overlaps with its own; they join once it is up, and {@link #attach} hands them the member.
 */
public final class SupervisedCluster {
  private static final Logger log = LoggerFactory.getLogger(SupervisedCluster.class);

  /** {@code cluster up} runs on loopback. */
  private static final String HOST = "127.0.0.1";

  private final NodeSupervisor supervisor;
  private final AtomicReference<ActorSystem<?>> member;
  private final SupervisionSettings settings;
  private final AtomicReference<DownedProcesses> downed = new AtomicReference<>();

  private SupervisedCluster(
      NodeSupervisor supervisor,
      AtomicReference<ActorSystem<?>> member,
      SupervisionSettings settings) {
    this.supervisor = supervisor;
    this.member = member;
    this.settings = settings;
  }

  /**
   * What {@code cluster up} asks of its coordinator JVM (its hidden options), the task paths of
   * this JVM, which every worker JVM it starts is given, and the cluster's CA, which gives each
   * worker JVM a certificate of its own at each start (or plain TCP, when chosen).
   */
  public record Options(
      int nodes,
      int workersPerNode,
      String heap,
      Path logs,
      Path stateFile,
      boolean restart,
      TaskPaths tasks,
      String token,
      ClusterCredentials credentials) {
    @Override
    public String toString() {
      return "Options[" + nodes + " nodes, " + stateFile + "]"; // never the token
    }
  }

  /**
   * Writes the state file and starts the worker JVMs, seeded with the member this JVM is about to
   * start on {@code port}; returns once they run (they join when that member is up).
   */
  public static SupervisedCluster start(
      int port, int httpPort, Options options, SupervisionSettings settings) {
    String seed = "pekko://clusterpool@" + HOST + ":" + port;
    ProcessHandle self = ProcessHandle.current();
    ClusterState.Member coordinator =
        new ClusterState.Member(
            ClusterState.COORDINATOR,
            ClusterState.COORDINATOR,
            port,
            self.pid(),
            MemberProcesses.startMillis(self),
            ClusterState.RUNNING,
            0,
            Optional.empty());
    StateWriter state =
        new StateWriter(
            options.stateFile(),
            new ClusterState(
                "http://" + HOST + ":" + httpPort,
                seed,
                options.logs().toString(),
                options.workersPerNode(),
                options.heap(),
                self.info().startInstant().orElse(Instant.now()),
                options.restart(),
                List.of(coordinator),
                options.tasks().paths().stream().map(Path::toString).toList(),
                options.token()));
    state.changed(
        List.of()); // at once: 'cluster down' finds this JVM even before its workers start

    NodeSupervisor.Specs specs =
        (name, nodePort) -> {
          JvmSpec worker =
              JvmSpec.workerNode(
                  name,
                  nodePort,
                  List.of(seed),
                  options.workersPerNode(),
                  self.pid(),
                  options.logs().resolve(name + ".log"),
                  options.tasks());
          return new JvmSpec(
              worker.name(),
              worker.mainClass(),
              worker.args(),
              options.heap(),
              worker.logFile(),
              options.credentials().issue(name).settings());
        };
    AtomicReference<ActorSystem<?>> member = new AtomicReference<>();
    MemberDowning downing =
        nodePort -> {
          ActorSystem<?> system = member.get();
          return system == null
              ? MemberDowning.Outcome.NOT_A_MEMBER
              : new ClusterDowning(system).down(nodePort);
        };
    NodeSupervisor supervisor =
        new NodeSupervisor(
            specs, port + 1, Set.of(port, httpPort), settings, options.restart(), downing, state);
    SupervisedCluster cluster = new SupervisedCluster(supervisor, member, settings);
    try {
      supervisor.addAndWait(options.nodes());
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /**
   * This JVM's member is up: the supervisor downs through it, {@code POST /nodes} reaches the
   * supervisor, and the member's shutdown stops supervision first, then the worker JVMs, while it
   * is still in the cluster and hears them go; those still there at the end of that phase are
   * killed.
   */
  public void attach(CoordinatorNode node) {
    ActorSystem<Void> system = node.system();
    member.set(system);
    NodeSupervision.get(system).register(supervisor);
    // a worker JVM whose member was downed but that does not exit (frozen) is killed and replaced
    // after the longest restart delay: a slot is never held longer by a JVM that does not work
    downed.set(
        DownedProcesses.start(
            supervisor,
            org.apache.pekko.cluster.Cluster.get(Adapter.toClassic(system)),
            settings.backoffMax()));
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(Adapter.toClassic(system));
    String phase = CoordinatedShutdown.PhaseBeforeServiceUnbind();
    Duration grace = Duration.ofMillis(Math.max(1000, shutdown.timeout(phase).toMillis() - 2000));
    shutdown.addTask(
        phase,
        "clusterpool-stop-worker-jvms",
        () -> {
          CompletableFuture<Done> stopped = new CompletableFuture<>();
          Thread stopping =
              new Thread(
                  () -> {
                    try {
                      stopWatchingDowned();
                      supervisor.close(grace);
                    } finally {
                      stopped.complete(Done.getInstance());
                    }
                  },
                  "clusterpool-stop-worker-jvms");
          stopping.start();
          return stopped;
        });
  }

  /**
   * Where the coordinator JVM {@code pid} keeps its cluster's CA: {@code tls-PID/} beside the state
   * file, its own, so that a JVM that ends and deletes its CA never deletes the next cluster's.
   */
  public static Path caDirectory(Path stateFile, long pid) {
    return stateFile.toAbsolutePath().getParent().resolve("tls-" + pid);
  }

  /**
   * A certificate for {@code member} from the CA of the cluster that {@code cluster up} runs, if
   * one runs and keeps its CA here; empty otherwise. A CA key that other users may read is refused
   * in one line.
   */
  public static Optional<MemberTransport> certificateOfRunningCluster(
      String member, com.typesafe.config.Config config) {
    Optional<ClusterState> state = StateFile.read();
    if (state.isEmpty()) return Optional.empty();
    Optional<ClusterState.Member> coordinator =
        state.get().coordinator().filter(MemberProcesses::alive);
    if (coordinator.isEmpty()) return Optional.empty();
    Path dir = caDirectory(StateFile.location(), coordinator.get().pid());
    if (!java.nio.file.Files.exists(dir.resolve(ClusterCa.CA_KEY))) return Optional.empty();
    return Optional.of(ClusterCa.open(dir, config).issue(member));
  }

  /**
   * The CAs of coordinator JVMs that are gone without deleting them (kill -9): their keys go too.
   */
  public static void removeStaleCas(Path stateFile) {
    Path dir = stateFile.toAbsolutePath().getParent();
    if (!java.nio.file.Files.isDirectory(dir)) return;
    try (java.nio.file.DirectoryStream<Path> found =
        java.nio.file.Files.newDirectoryStream(dir, "tls-*")) {
      for (Path ca : found) {
        String pid = ca.getFileName().toString().substring("tls-".length());
        if (pid.matches("[0-9]{1,19}")
            && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false))
          continue;
        org.clusterpool.node.tls.PrivateFiles.deleteTree(ca);
      }
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      // what cannot be removed now is tried again at the next cluster up
    }
  }

  private void stopWatchingDowned() {
    DownedProcesses watch = downed.getAndSet(null);
    if (watch != null) watch.close();
  }

  /** Stops supervising, then the worker JVMs: for a member that could not start. */
  public void close() {
    stopWatchingDowned();
    supervisor.close(Duration.ofSeconds(15));
  }

  /**
   * Writes the state file at each change of the nodes: the coordinator's entry, then each worker
   * node's.
   */
  private static final class StateWriter implements NodeSupervisor.Listener {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Path file;
    private final ClusterState base;
    private boolean yielded;

    StateWriter(Path file, ClusterState base) {
      this.file = file;
      this.base = base;
    }

    @Override
    public void changed(List<SupervisedNode> nodes) {
      List<ClusterState.Member> members = new ArrayList<>(base.members());
      for (SupervisedNode n : nodes) {
        members.add(
            new ClusterState.Member(
                n.name(),
                ClusterState.WORKER,
                n.port(),
                n.pid(),
                n.processStartMillis(),
                status(n.state()),
                n.restarts(),
                n.lastExit().map(StateWriter::exit),
                n.downedOnExit()));
      }
      if (!mine()) {
        if (!yielded) {
          yielded = true;
          log.warn(
              "the cluster state {} names another coordinator JVM: this one (pid {}) no longer"
                  + " writes it",
              file,
              ProcessHandle.current().pid());
        }
        return;
      }
      StateFile.write(file, base.withMembers(members));
    }

    /**
     * The file names this JVM as its coordinator, or is absent (or damaged: this JVM writes it
     * whole again); a file that names another coordinator is that cluster's record, never
     * overwritten.
     */
    private boolean mine() {
      String text;
      try {
        text = Files.readString(file);
      } catch (NoSuchFileException e) {
        return true;
      } catch (IOException e) {
        return true; // unreadable: 'cluster up' refuses to start beside it, so it was ours
      }
      try {
        for (JsonNode member : MAPPER.readTree(text).path("members")) {
          if (member.path("role").asText().equals(ClusterState.COORDINATOR))
            return member.path("pid").asLong() == ProcessHandle.current().pid();
        }
        return true;
      } catch (IOException | RuntimeException e) {
        return true;
      }
    }

    private static String status(SupervisedNode.State state) {
      return switch (state) {
        case RUNNING -> ClusterState.RUNNING;
        case RESTARTING -> ClusterState.RESTARTING;
        case DEAD -> ClusterState.DEAD;
      };
    }

    private static ClusterState.Exit exit(NodeExit e) {
      return new ClusterState.Exit(
          e.pid(),
          e.cause(),
          e.at(),
          e.uptime().toMillis(),
          e.member().phrase(),
          e.restartDelay().map(Duration::toMillis).orElse(-1L),
          e.logTail());
    }
  }
}
