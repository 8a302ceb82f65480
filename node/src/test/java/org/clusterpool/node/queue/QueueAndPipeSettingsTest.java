package org.clusterpool.node.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.clusterpool.node.pipe.PipeSettings;
import org.junit.jupiter.api.Test;

/** The settings of queues and pipes as shipped, and the limits they are held to. */
class QueueAndPipeSettingsTest {

  private static Config shipped(String resource) {
    return shipped(resource, "");
  }

  /** A shipped config file with {@code changes} on top, resolved as the application resolves it. */
  private static Config shipped(String resource, String changes) {
    return ConfigFactory.parseString(changes)
        .withFallback(ConfigFactory.parseResources(resource))
        .withFallback(ConfigFactory.parseResources("pekko.conf"))
        .withFallback(ConfigFactory.defaultReferenceUnresolved())
        .resolve();
  }

  @Test
  void theShippedClusterSettingsKeepAnItemAndItsMessageUnderTheFrame() {
    for (String resource : new String[] {"local-cluster.conf", "kubernetes.conf"}) {
      Config config = shipped(resource);
      assertEquals("cluster", config.getString("pekko.actor.provider"), resource);
      QueueSettings queue = QueueSettings.fromConfig(config);
      PipeSettings pipe = PipeSettings.fromConfig(config);
      assertEquals(1024 * 1024, queue.maxItemBytes(), resource);
      assertEquals(
          queue.maxItemBytes(),
          pipe.maxMessageBytes(),
          "the pipe follows the queue unless told otherwise");
      assertEquals(queue.resendAfter(), pipe.resendAfter());
      assertEquals(Duration.ofSeconds(60), pipe.giveUpAfter());
    }
  }

  @Test
  void aBudgetThatLeavesNoRoomForTheMessageAroundTheItemIsRefused() {
    Config tooLarge = shipped("local-cluster.conf", "clusterpool.queue.max-item-bytes = 2000 KiB");
    IllegalArgumentException queue =
        assertThrows(IllegalArgumentException.class, () -> QueueSettings.fromConfig(tooLarge));
    assertEquals(
        "clusterpool.queue.max-item-bytes (2048000 bytes) must leave 65536 bytes under"
            + " pekko.remote.artery.advanced.maximum-frame-size (2097152 bytes) for the message"
            + " around an item",
        queue.getMessage());
    IllegalArgumentException pipe =
        assertThrows(IllegalArgumentException.class, () -> PipeSettings.fromConfig(tooLarge));
    assertEquals(
        "clusterpool.pipe.max-message-bytes (2048000 bytes) must leave 65536 bytes under"
            + " pekko.remote.artery.advanced.maximum-frame-size (2097152 bytes) for the message"
            + " around an item",
        pipe.getMessage());
    Config inOneJvm = shipped("embedded.conf", "clusterpool.queue.max-item-bytes = 2000 KiB");
    assertEquals(
        2048000,
        QueueSettings.fromConfig(inOneJvm).maxItemBytes(),
        "nothing crosses a JVM: no frame to fit");
  }

  @Test
  void resendingFasterThanGivingUpIsRequired() {
    Config config =
        shipped(
            "embedded.conf",
            "clusterpool.queue.resend-after = 10 s\nclusterpool.queue.give-up-after = 15 s");
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> QueueSettings.fromConfig(config));
    assertEquals(
        "clusterpool.queue.give-up-after (15000 ms) must be at least twice"
            + " clusterpool.queue.resend-after (10000 ms)",
        refused.getMessage());
  }
}
