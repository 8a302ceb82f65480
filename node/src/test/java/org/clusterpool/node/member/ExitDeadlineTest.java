package org.clusterpool.node.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JVM of a going node halts when its actor system does not end in time, and only then. */
@Timeout(30)
class ExitDeadlineTest {

  @Test
  void aSystemThatNeverEndsHaltsTheJvmOnceTheDeadlineHasPassed() throws Exception {
    CompletableFuture<Integer> halted = new CompletableFuture<>();
    new ExitDeadline(new CompletableFuture<Void>(), Duration.ofMillis(200), halted::complete)
        .start();
    assertEquals(
        0,
        halted.get(10, TimeUnit.SECONDS),
        "halted with the status of a node that was going anyway");
  }

  @Test
  void aSystemThatEndsInTimeIsLeftToExitByItself() throws Exception {
    CompletableFuture<Void> terminated = new CompletableFuture<>();
    CompletableFuture<Integer> halted = new CompletableFuture<>();
    new ExitDeadline(terminated, Duration.ofMillis(500), halted::complete).start();
    terminated.complete(null);
    Thread.sleep(1000); // past the deadline
    assertNull(halted.getNow(null), "no halt");
  }
}
