package org.clusterpool.node.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializationExtension;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.protocol.MessageBudget;
import org.clusterpool.node.protocol.UnitResult;
import org.clusterpool.node.protocol.WorkerInfo;
import org.clusterpool.node.protocol.WorkerProtocol;
import org.clusterpool.node.wire.RemoteError;
import org.clusterpool.node.wire.Values;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worst a worker can send, written by the real serializer: every message {@link ResultMessages}
 * builds, and the largest report, stays under the budget, whatever the results are made of. This is
 * what keeps Artery from dropping a result, and a job from waiting for it for ever.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResultMessagesBudgetTest {

  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  private static final MessageBudget BUDGET = new MessageBudget(1536 * 1024);

  /** Three bytes in UTF-8 each: the most a Java character takes. */
  private static final char WIDE = '€';

  private int bytes(Object message) {
    return SerializationExtension.get(Adapter.toClassic(testKit.system()))
        .serialize(message)
        .get()
        .length;
  }

  /**
   * Every message a worker would send for these results: under the budget, and each input answered
   * once.
   */
  private void assertUnderBudget(List<UnitResult> wholes) {
    ResultMessages messages = new ResultMessages(BUDGET, wide(300));
    for (UnitResult whole : wholes) messages.add(whole);
    TestProbe<WorkerProtocol.Command> worker = testKit.createTestProbe();
    int answered = 0;
    int largest = 0;
    for (List<UnitResult> message : messages.take()) {
      int size =
          bytes(
              new CoordinatorProtocol.UnitsDone(
                  worker.getRef(), Long.MAX_VALUE, Long.MAX_VALUE, message));
      largest = Math.max(largest, size);
      assertTrue(
          size <= BUDGET.maxBytes(), size + " bytes in one message, budget " + BUDGET.maxBytes());
      for (UnitResult piece : message) answered += piece.outputs().size();
    }
    assertEquals(wholes.stream().mapToInt(r -> r.outputs().size()).sum(), answered);
    assertTrue(largest > BUDGET.maxBytes() / 2, "the worst case fills messages: " + largest);
  }

  private static String wide(int length) {
    return String.valueOf(WIDE).repeat(length);
  }

  /** The largest error a task can cause: every field at its limit, in the widest characters. */
  private static RemoteError largestError() {
    List<String> stack = new ArrayList<>();
    for (int i = 0; i < RemoteError.MAX_FRAMES; i++) stack.add(wide(RemoteError.MAX_FRAME));
    return new RemoteError(
        wide(RemoteError.MAX_NAME),
        wide(RemoteError.MAX_MESSAGE),
        wide(RemoteError.MAX_NAME),
        stack);
  }

  @Test
  void aChunkWhoseEveryInputFailsWithTheLargestErrors() {
    int n =
        4096; // 4096 of them fill a few dozen messages: enough to show every message stays under
    // the budget
    RemoteError largest = largestError();
    List<ElementError> errors = new ArrayList<>(n);
    for (int i = 0; i < n; i++) errors.add(new ElementError(i, largest));
    assertUnderBudget(
        List.of(UnitResult.whole(1, wide(256), new Values.LongRange(0, n), errors, 1)));
  }

  @Test
  void textsOfEveryLengthUpToOneLargerThanAMessage() {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 4096; i++) texts.add(wide(i * 37 % 5000));
    texts.add(wide(600_000)); // alone larger than a message: fails alone
    texts.add(null);
    assertUnderBudget(List.of(UnitResult.whole(2, "j", new Values.Texts(texts), List.of(), 1)));
  }

  @Test
  void recordsOfNumbersWhoseJsonIsShorterThanTheirCbor() {
    List<JsonNode> records = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      ObjectNode record = JsonNodeFactory.instance.objectNode();
      record.put("a", 0.1).put("b", 1.0E-300).put("c", Long.MIN_VALUE);
      record.putArray("d").add(0.5).add(0.25);
      records.add(record);
    }
    assertUnderBudget(List.of(UnitResult.whole(3, "j", new Values.Jsons(records), List.of(), 1)));
  }

  @Test
  void manyUnitsOfNumbers() {
    List<UnitResult> units = new ArrayList<>();
    for (int u = 0; u < 64; u++)
      units.add(UnitResult.whole(u, wide(256), new Values.Longs(new long[65_536]), List.of(), 1));
    assertUnderBudget(units);
  }

  @Test
  void theLargestReport() {
    TestProbe<WorkerProtocol.Command> worker = testKit.createTestProbe();
    TestProbe<WorkerProtocol.NodeCommand> node = testKit.createTestProbe();
    long[] held = new long[Worker.MAX_LISTED_UNITS];
    java.util.Arrays.fill(held, Long.MIN_VALUE);
    int size =
        bytes(
            new CoordinatorProtocol.WorkerReport(
                worker.getRef(),
                node.getRef(),
                new WorkerInfo(wide(100), wide(200), Long.MAX_VALUE),
                Long.MAX_VALUE,
                1024,
                100_000_000,
                Long.MAX_VALUE,
                Long.MAX_VALUE,
                new Values.Longs(held),
                true));
    assertTrue(size <= BUDGET.maxBytes(), size + " bytes");
  }

  @Test
  void anErrorIsBoundedWhoeverBuiltIt() {
    RemoteError huge =
        new RemoteError(
            "T", "m".repeat(10_000_000), null, Collections.nCopies(10_000, "f".repeat(10_000)));
    assertTrue(
        MessageBudget.of(huge) < 60_000,
        "a ten-megabyte message and stack cost " + MessageBudget.of(huge));
    assertTrue(
        huge.message().endsWith("(10000000 characters)"),
        huge.message().substring(huge.message().length() - 40));
    assertEquals("", huge.where());
  }
}
