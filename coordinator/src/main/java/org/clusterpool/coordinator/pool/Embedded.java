package org.clusterpool.coordinator.pool;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.clusterpool.coordinator.scheduler.CoordinatorGuardian;
import org.clusterpool.coordinator.scheduler.CoordinatorSettings;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.task.TaskCatalog;
import org.clusterpool.node.worker.WorkerNode;
import org.clusterpool.node.worker.WorkerSettings;
import org.slf4j.LoggerFactory;

/** The embedded default: one JVM, one actor system, the coordinator and K workers in it. */
final class Embedded {
  private Embedded() {}

  record Started(ActorSystem<Void> system, ActorRef<CoordinatorProtocol.Command> coordinator, Config config) {}

  /** {@code workers} &lt;= 0 takes {@code clusterpool.worker.per-node} from the config. */
  static Started start(int workers, Config overrides) {
    // logging starts on this thread, before actor threads log at once and SLF4J has to replay them
    LoggerFactory.getILoggerFactory();
    Config base = overrides.withFallback(ConfigFactory.load("embedded"));
    WorkerSettings settings = WorkerSettings.fromConfig(base);
    if (workers > 0) settings = settings.withPerNode(workers);
    // one cpu thread per worker actor: a worker runs its chunks on its own thread, like a process of a Pool
    Config config = base
        .withValue("clusterpool.worker.per-node", ConfigValueFactory.fromAnyRef(settings.perNode()))
        .withValue(
            "clusterpool.cpu-dispatcher.thread-pool-executor.fixed-pool-size",
            ConfigValueFactory.fromAnyRef(settings.perNode()));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "clusterpool", config);
    TaskCatalog catalog = TaskCatalog.shared();
    system.systemActorOf(WorkerNode.create(settings, catalog, true), "workers", Props.empty());
    ActorRef<CoordinatorProtocol.Command> coordinator = system.systemActorOf(
        CoordinatorGuardian.create(catalog, CoordinatorSettings.fromConfig(config)), "coordinator", Props.empty());
    awaitWorkers(system, coordinator, settings.perNode());
    return new Started(system, coordinator, config);
  }

  /** Like {@code Pool()}, which returns once its processes run: the workers have all reached the coordinator. */
  private static void awaitWorkers(ActorSystem<Void> system, ActorRef<CoordinatorProtocol.Command> coordinator, int workers) {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      ClusterStatus status = AskPattern.<CoordinatorProtocol.Command, ClusterStatus>ask(
              coordinator, CoordinatorProtocol.GetStatus::new, STARTUP_TIMEOUT, system.scheduler())
          .toCompletableFuture()
          .join();
      if (status.workers().size() >= workers) return;
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    system.terminate();
    throw new IllegalStateException("the embedded pool's " + workers + " workers did not start within " + STARTUP_TIMEOUT.toSeconds() + " s");
  }

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);
}
