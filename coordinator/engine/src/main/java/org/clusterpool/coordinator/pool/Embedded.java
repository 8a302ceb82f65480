package org.clusterpool.coordinator.pool;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.clusterpool.coordinator.scheduler.CoordinatorGuardian;
import org.clusterpool.coordinator.scheduler.CoordinatorSettings;
import org.clusterpool.node.catalog.NodeTasks;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.config.LayeredConfig;
import org.clusterpool.node.handle.Waits;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.protocol.WorkerProtocol;
import org.clusterpool.node.worker.WorkerNode;
import org.clusterpool.node.worker.WorkerSettings;
import org.slf4j.LoggerFactory;

/** The embedded default: one JVM, one actor system, the coordinator and K workers in it. */
final class Embedded {
  private Embedded() {}

  /**
   * What runs: the system, its coordinator, and its worker node with the node's tasks, where the
   * pool registers the task objects it is handed ({@link LocalNode}).
   */
  record Started(
      ActorSystem<Void> system,
      ActorRef<CoordinatorProtocol.Command> coordinator,
      Config config,
      LocalNode node) {}

  /**
   * {@code workers} &lt;= 0 takes {@code clusterpool.worker.per-node} from the config. The node's
   * catalog is the config's ({@code clusterpool.tasks}); tasks that cannot be loaded are refused
   * before the actor system starts.
   */
  static Started start(int workers, Config overrides) {
    return start(workers, overrides, STARTUP_TIMEOUT);
  }

  /** The pool of an embedded system: it owns the system, which stops with it. */
  static ActorPool pool(int workers, Config overrides, Duration startupTimeout) {
    Started started = start(workers, overrides, startupTimeout);
    int perNode = started.config().getInt("clusterpool.worker.per-node");
    return new ActorPool(
        started.system(), true, started.coordinator(), started.node(), started.config(), perNode);
  }

  /**
   * As {@link #start(int, Config)}; the workers have {@code startupTimeout} to reach the
   * coordinator.
   */
  static Started start(int workers, Config overrides, Duration startupTimeout) {
    // logging starts on this thread, before actor threads log at once and SLF4J has to replay them
    LoggerFactory.getILoggerFactory();
    Config base = overrides.withFallback(LayeredConfig.load("embedded"));
    WorkerSettings settings = WorkerSettings.fromConfig(base);
    if (workers > 0) settings = settings.withPerNode(workers);
    // one cpu thread per worker actor: a worker runs its chunks on its own thread, like a process
    // of a Pool
    Config config =
        base.withValue(
                "clusterpool.worker.per-node", ConfigValueFactory.fromAnyRef(settings.perNode()))
            .withValue(
                "clusterpool.cpu-dispatcher.thread-pool-executor.fixed-pool-size",
                ConfigValueFactory.fromAnyRef(settings.perNode()));
    NodeTasks tasks = new NodeTasks(TaskCatalog.forConfig(config));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "clusterpool", config);
    ActorRef<WorkerProtocol.NodeCommand> node =
        system.systemActorOf(WorkerNode.create(settings, tasks, true), "workers", Props.empty());
    ActorRef<CoordinatorProtocol.Command> coordinator =
        system.systemActorOf(
            CoordinatorGuardian.create(CoordinatorSettings.fromConfig(config)),
            "coordinator",
            Props.empty());
    awaitWorkers(system, coordinator, settings.perNode(), startupTimeout);
    return new Started(
        system,
        coordinator,
        config,
        new LocalNode(tasks, node, system.address().toString(), settings));
  }

  /**
   * Like {@code Pool()}, which returns once its processes run: the workers have all reached the
   * coordinator.
   */
  private static void awaitWorkers(
      ActorSystem<Void> system,
      ActorRef<CoordinatorProtocol.Command> coordinator,
      int workers,
      Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        Duration left = Duration.ofNanos(deadline - System.nanoTime());
        if (left.isNegative() || left.isZero()) break;
        ClusterStatus status =
            Waits.joinAsk(
                AskPattern.<CoordinatorProtocol.Command, ClusterStatus>ask(
                    coordinator, CoordinatorProtocol.GetStatus::new, left, system.scheduler()),
                left);
        if (status.workers().size() >= workers) return;
        Thread.sleep(2);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the pool is handed out, its workers still starting
      return;
    } catch (RuntimeException e) {
      system.terminate(); // a pool that is not handed out leaves no actor system behind
      throw new IllegalStateException(
          "the embedded pool's workers did not start: " + e.getMessage(), e);
    }
    system.terminate();
    throw new IllegalStateException(
        "the embedded pool's "
            + workers
            + " workers did not start within "
            + timeout.toSeconds()
            + " s");
  }

  static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);
}
