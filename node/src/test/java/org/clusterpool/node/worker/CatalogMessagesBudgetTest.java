package org.clusterpool.node.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializationExtension;
import org.clusterpool.node.catalog.Fingerprints;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.protocol.MessageBudget;
import org.clusterpool.node.protocol.TaskSignature;
import org.clusterpool.node.protocol.WorkerProtocol;
import org.clusterpool.node.task.TaskKind;
import org.clusterpool.node.task.TaskName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A node's catalog as the real serializer writes it: a catalog of thousands of tasks, each name and
 * fingerprint as long as a check lets through, goes in parts that each stay under the smallest
 * budget, and together hold every task.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogMessagesBudgetTest {

  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  private int bytes(Object message) {
    return SerializationExtension.get(Adapter.toClassic(testKit.system()))
        .serialize(message)
        .get()
        .length;
  }

  @Test
  void theLargestCatalogGoesInPartsUnderTheBudgetAndWhole() {
    MessageBudget budget = new MessageBudget(64 * 1024); // the smallest allowed: the most parts
    TestProbe<WorkerProtocol.NodeCommand> node = testKit.createTestProbe();
    List<TaskSignature> tasks = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      String name = ("t" + i + "-").repeat(TaskName.MAX_LENGTH).substring(0, TaskName.MAX_LENGTH);
      String fingerprint =
          (Fingerprints.VERSION + i + "~")
              .repeat(Fingerprints.MAX_LENGTH)
              .substring(0, Fingerprints.MAX_LENGTH);
      tasks.add(new TaskSignature(name, i % 2 == 0 ? TaskKind.CPU : TaskKind.ASYNC, fingerprint));
    }
    String address = "pekko://clusterpool@" + "h".repeat(400) + ":25521";
    List<CoordinatorProtocol.NodeCatalog> parts =
        CatalogMessages.of(node.getRef(), address, 7, tasks, budget);
    assertTrue(parts.size() > 10, "thousands of tasks take many parts: " + parts.size());
    Set<TaskSignature> carried = new HashSet<>();
    int largest = 0;
    for (CoordinatorProtocol.NodeCatalog part : parts) {
      int size = bytes(part);
      largest = Math.max(largest, size);
      assertTrue(
          size <= budget.maxBytes(), size + " bytes in one part, budget " + budget.maxBytes());
      assertEquals(parts.size(), part.parts());
      assertEquals(7, part.version());
      carried.addAll(part.tasks());
    }
    assertEquals(new HashSet<>(tasks), carried);
    assertTrue(largest > budget.maxBytes() / 2, "the parts are filled: " + largest);
  }

  @Test
  void aCatalogOfNoTaskStillGoesAsOneEmptyPart() {
    TestProbe<WorkerProtocol.NodeCommand> node = testKit.createTestProbe();
    List<CoordinatorProtocol.NodeCatalog> parts =
        CatalogMessages.of(
            node.getRef(),
            "pekko://clusterpool@127.0.0.1:25521",
            1,
            List.of(),
            new MessageBudget(64 * 1024));
    assertEquals(1, parts.size());
    assertEquals(List.of(), parts.get(0).tasks());
  }
}
