package org.clusterpool.node.task.builtin;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The built-in tasks that take seconds as a double refuse NaN as they refuse -1 and Infinity. */
class NotANumberTest {

  @Test
  void sleepsRefuseNaNSayingWhatIsAccepted() {
    for (double refused : new double[] {Double.NaN, -1, Double.POSITIVE_INFINITY, 1e300}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> BuiltinTasks.SLEEP.validate(refused));
      assertTrue(
          e.getMessage().endsWith("s is out of range: accepted 0..300 seconds"), e.getMessage());
      assertThrows(
          IllegalArgumentException.class, () -> BuiltinTasks.SLEEP_BLOCKING.validate(refused));
    }
  }

  @Test
  void theWaitsOfTheQueueAndMailboxTasksRefuseNaN() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new QueueTake.Args("q", 1, Double.NaN));
    assertTrue(e.getMessage().contains("accepted 0..10 seconds"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> new MailboxConsumer.Args("c", "m", Double.NaN));
    assertTrue(e.getMessage().contains("accepted 0..1 s"), e.getMessage());
  }
}
