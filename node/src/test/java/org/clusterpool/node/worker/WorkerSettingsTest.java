package org.clusterpool.node.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import org.clusterpool.node.config.LayeredConfig;
import org.junit.jupiter.api.Test;

/** How many workers a node may have: each is a thread, so a count has an upper bound too. */
class WorkerSettingsTest {

  private static WorkerSettings withPerNode(long perNode) {
    return WorkerSettings.fromConfig(
        ConfigFactory.empty()
            .withValue("clusterpool.worker.per-node", ConfigValueFactory.fromAnyRef(perNode))
            .withFallback(LayeredConfig.load("embedded")));
  }

  @Test
  void aConfiguredWorkerCountPastTheBoundIsRefusedSayingTheRange() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> withPerNode(100_000));
    assertEquals(
        "clusterpool.worker.per-node must be between 1 and 1024, got 100000 (0 in the config: one"
            + " per processor)",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> withPerNode(-1));
  }

  @Test
  void zeroTakesOnePerProcessorAndTheBoundItselfIsAccepted() {
    assertTrue(withPerNode(0).perNode() >= 1);
    assertEquals(1024, withPerNode(1024).perNode());
  }
}
