package org.clusterpool.coordinator.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializationExtension;
import org.clusterpool.node.protocol.Activity;
import org.clusterpool.node.protocol.MessageBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The largest answer to {@code GetActivity}, written by the real serializer: a full ring of spans
 * with the longest names the coordinator accepts (MessageChecks.MAX_NAME), of characters that take
 * three bytes each, asked for at the most spans an answer carries. It stays under the budget, and
 * the spans it leaves out come with the next answer.
 */
@ExtendWith(TestKitJUnit5Extension.class)
class ActivityBudgetTest {

  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  private int bytes(Object message) {
    return SerializationExtension.get(Adapter.toClassic(testKit.system()))
        .serialize(message)
        .get()
        .length;
  }

  private static void fill(ActivityLog log, String worker, String node, String job, String task) {
    for (int i = 0; i < ActivityLog.CAPACITY; i++) {
      log.record(
          worker,
          node,
          job,
          task,
          Long.MAX_VALUE - 1,
          Long.MAX_VALUE,
          Integer.MAX_VALUE,
          Activity.Outcome.CANCELLED);
    }
  }

  @Test
  void theWidestAnswerAtItsMostSpansStaysUnderTheBudgetAndTheRestComesNext() {
    String wide = "€".repeat(MessageChecks.MAX_NAME);
    ActivityLog log = new ActivityLog();
    fill(log, wide, wide + wide, wide, "a".repeat(MessageChecks.MAX_NAME));
    for (MessageBudget budget :
        new MessageBudget[] {CoordinatorTest.BUDGET, new MessageBudget(64 * 1024)}) {
      Activity answer = log.since(0, Integer.MAX_VALUE, budget);
      int size = bytes(answer);
      assertTrue(
          size <= budget.maxBytes(),
          "an answer of "
              + answer.spans().size()
              + " spans takes "
              + size
              + " bytes, budget "
              + budget.maxBytes());
      assertTrue(
          answer.spans().size() < Activity.MAX_SPANS,
          "the budget, not max, cut it: " + answer.spans().size());
      Activity next = log.since(answer.lastSeq(), Integer.MAX_VALUE, budget);
      assertEquals(
          answer.lastSeq() + 1,
          next.spans().get(0).seq(),
          "the next answer goes on where this one stopped");
    }
  }

  @Test
  void anAnswerOfTheMostSpansWithPlainNamesIsCutByMaxAndStaysUnderTheBudget() {
    ActivityLog log = new ActivityLog();
    fill(log, "worker-12", "pekko://clusterpool@127.0.0.1:25521", "j-0123456789abcdef", "square");
    Activity answer = log.since(0, Integer.MAX_VALUE, CoordinatorTest.BUDGET);
    assertEquals(Activity.MAX_SPANS, answer.spans().size());
    int size = bytes(answer);
    assertTrue(size <= CoordinatorTest.BUDGET.maxBytes(), size + " bytes");
  }
}
