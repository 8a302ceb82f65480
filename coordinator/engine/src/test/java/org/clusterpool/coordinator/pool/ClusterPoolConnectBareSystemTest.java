package org.clusterpool.coordinator.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.clusterpool.coordinator.scheduler.CoordinatorGuardian;
import org.clusterpool.coordinator.scheduler.CoordinatorSettings;
import org.clusterpool.node.catalog.NodeTasks;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.clusterpool.node.worker.WorkerNode;
import org.clusterpool.node.worker.WorkerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ClusterPool.connect(system, ...)} with an actor system its application made without a word
 * of clusterpool in its config: clusterpool's reference.conf gives it the settings, and the binding
 * of every message that crosses a JVM (each message here is serialized, as the wire would).
 */
@Timeout(120)
class ClusterPoolConnectBareSystemTest {

  @Test
  void aPoolConnectsFromAnActorSystemWhoseConfigNamesNoClusterpoolSetting() throws Exception {
    // Artery's frame as every member of a clusterpool cluster has it (pekko.conf): the messages are
    // cut to fit it
    mapsOn(
        ConfigFactory.parseString(
            "pekko.actor.serialize-messages = on\n"
                + "pekko.remote.artery.advanced.maximum-frame-size = 2 MiB"));
  }

  /**
   * With Pekko's default frame a chunk of clusterpool's default 1 MiB does not fit a message:
   * chunks are cut smaller.
   */
  @Test
  void aPoolOnAnActorSystemWithPekkosDefaultFrameCutsChunksThatFitAndEnds() throws Exception {
    Config given = ConfigFactory.parseString("pekko.actor.serialize-messages = on");
    assertEquals(
        256 * 1024,
        ConfigFactory.load(given).getBytes("pekko.remote.artery.advanced.maximum-frame-size"));
    assertTrue(PoolSettings.fromConfig(ConfigFactory.load(given)).maxChunkBytes() < 256 * 1024);
    mapsOn(given);
  }

  /**
   * A system of a cluster with Pekko's default frame would drop the members' larger messages:
   * refused, saying why.
   */
  @Test
  void aSystemThatTalksToOtherJvmsWithASmallerFrameIsRefusedSayingWhatToSet() {
    Config given =
        ConfigFactory.parseString("pekko.actor.provider = cluster")
            .withFallback(ConfigFactory.load());
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> ArteryFrame.check(given));
    assertTrue(
        refused
                .getMessage()
                .contains("maximum-frame-size is 262144 bytes, smaller than the 2097152")
            && refused
                .getMessage()
                .contains("set pekko.remote.artery.advanced.maximum-frame-size = 2097152"),
        refused.getMessage());
    ArteryFrame.check(
        ConfigFactory.parseString("pekko.remote.artery.advanced.maximum-frame-size = 2 MiB")
            .withFallback(given));
  }

  private void mapsOn(Config given) throws Exception {
    assertFalse(given.hasPath("clusterpool"));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bare", given);
    try {
      Config config = system.settings().config();
      WorkerSettings workers = WorkerSettings.fromConfig(config).withPerNode(2);
      system.systemActorOf(
          WorkerNode.create(workers, new NodeTasks(TaskCatalog.forConfig(config)), true),
          "workers",
          Props.empty());
      ActorRef<CoordinatorProtocol.Command> coordinator =
          system.systemActorOf(
              CoordinatorGuardian.create(CoordinatorSettings.fromConfig(config)),
              "coordinator",
              Props.empty());
      try (ClusterPool pool = ClusterPool.connect(system, coordinator, 2)) {
        assertEquals(
            List.of(1L, 4L, 9L),
            pool.mapAsync(BuiltinTasks.SQUARE, List.of(1L, 2L, 3L))
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS));
      }
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }
  }
}
