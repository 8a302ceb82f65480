package org.clusterpool.coordinator.demo;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.clusterpool.coordinator.members.PoolSession;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.coordinator.scheduler.CoordinatorGuardian;
import org.clusterpool.coordinator.scheduler.CoordinatorSettings;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.catalog.TaskPaths;
import org.clusterpool.node.config.LayeredConfig;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.worker.WorkerNode;
import org.clusterpool.node.worker.WorkerSettings;
import org.slf4j.LoggerFactory;

/**
 * The pool of a demo that uses queues, pipes or mailboxes, and the actor system they live in: the
 * one in which the workers find them. With {@code --nodes N}, the coordinator's system of a {@link
 * PoolSession} of N worker JVMs. Embedded, a system of this JVM that holds the coordinator and the
 * workers: the embedded {@code ClusterPool} keeps its own system to itself, so this one is started
 * here, the same way, and the pool connects to it.
 */
final class DemoSession implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final ClusterPool pool;
  private final ActorSystem<?> system;
  private final PoolSession cluster;
  private final int workers;
  private PoolDashboard.Served served = PoolDashboard.NONE_SERVED;

  private DemoSession(ClusterPool pool, ActorSystem<?> system, PoolSession cluster, int workers) {
    this.pool = pool;
    this.system = system;
    this.cluster = cluster;
    this.workers = workers;
  }

  /**
   * {@code nodes} 0: {@code workers} workers in this JVM; else {@code nodes} worker JVMs of {@code
   * workers} workers each.
   */
  static DemoSession open(int workers, int nodes, List<Path> tasks, String logName) {
    return open(workers, nodes, tasks, logName, PoolDashboard.NONE);
  }

  /**
   * As {@link #open(int, int, List, String)}, with {@code dashboard} serving the pool's run until
   * the session closes.
   */
  static DemoSession open(
      int workers, int nodes, List<Path> tasks, String logName, PoolDashboard dashboard) {
    DemoSession session = open0(workers, nodes, tasks, logName);
    try {
      session.served = dashboard.serve(session.pool);
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
    return session;
  }

  private static DemoSession open0(int workers, int nodes, List<Path> tasks, String logName) {
    if (nodes > 0) {
      PoolSession session = PoolSession.open(workers, nodes, tasks, logName);
      return new DemoSession(
          session.pool(), session.cluster().coordinator().system(), session, nodes * workers);
    }
    LoggerFactory.getILoggerFactory();
    Config base = LayeredConfig.load("embedded");
    if (!tasks.isEmpty()) base = TaskPaths.fromConfig(base).withPaths(tasks).into(base);
    Config config =
        base.withValue("clusterpool.worker.per-node", ConfigValueFactory.fromAnyRef(workers))
            .withValue(
                "clusterpool.cpu-dispatcher.thread-pool-executor.fixed-pool-size",
                ConfigValueFactory.fromAnyRef(workers));
    TaskCatalog catalog = TaskCatalog.forConfig(config);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "clusterpool", config);
    try {
      system.systemActorOf(
          WorkerNode.create(WorkerSettings.fromConfig(config), catalog, true),
          "workers",
          Props.empty());
      ActorRef<CoordinatorProtocol.Command> coordinator =
          system.systemActorOf(
              CoordinatorGuardian.create(CoordinatorSettings.fromConfig(config)),
              "coordinator",
              Props.empty());
      ClusterPool pool = ClusterPool.connect(system, coordinator, workers);
      awaitWorkers(pool, workers);
      return new DemoSession(pool, system, null, workers);
    } catch (RuntimeException e) {
      system.terminate();
      throw e;
    }
  }

  private static void awaitWorkers(ClusterPool pool, int workers) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (pool.status(START_TIMEOUT).workers().size() < workers) {
      if (System.nanoTime() > deadline)
        throw new IllegalStateException(
            "the demo's " + workers + " workers did not start within 20 s");
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the workers started", e);
      }
    }
  }

  ClusterPool pool() {
    return pool;
  }

  /**
   * Where queues and pipes of the demo are created: the workers' tasks find them from their own
   * systems.
   */
  ActorSystem<?> system() {
    return system;
  }

  int workers() {
    return workers;
  }

  /**
   * {@code 2 workers in this JVM (pid 42)} or {@code 2 worker JVMs of 1 worker each}, for the
   * output.
   */
  String where() {
    if (cluster == null)
      return workers
          + " worker"
          + (workers == 1 ? "" : "s")
          + " in this JVM (pid "
          + ProcessHandle.current().pid()
          + ")";
    int nodes = cluster.cluster().nodes().size();
    int perNode = workers / Math.max(1, nodes);
    return nodes
        + " worker JVM"
        + (nodes == 1 ? "" : "s")
        + " of "
        + perNode
        + " worker"
        + (perNode == 1 ? "" : "s")
        + " each";
  }

  @Override
  public void close() {
    served.close();
    if (cluster != null) {
      cluster.close();
      return;
    }
    pool.terminate();
    system.terminate();
    system
        .getWhenTerminated()
        .toCompletableFuture()
        .orTimeout(30, TimeUnit.SECONDS)
        .exceptionally(e -> null)
        .join();
  }
}
