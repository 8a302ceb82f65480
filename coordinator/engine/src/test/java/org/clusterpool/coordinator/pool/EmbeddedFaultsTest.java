package org.clusterpool.coordinator.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.ValueTypes;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What an embedded pool does with a task's faults and the caller's bad input: the JVM is the
 * caller's, so nothing ends it, and every refusal is one line that says what is accepted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class EmbeddedFaultsTest {

  private final ClusterPool pool = ClusterPool.embedded(2);

  @AfterAll
  void stop() {
    pool.terminate();
    assertTrue(pool.join(Duration.ofSeconds(10)));
  }

  @Test
  void aTasksOutOfMemoryErrorFailsItsInputAndLeavesTheJvmAndThePoolRunning() {
    // larger than any heap or array may be: refused before anything is allocated, so the test's
    // heap stays whole
    Task<Long, Long> bigArray =
        Task.cpu(
            "bigarray",
            ValueTypes.LONG,
            ValueTypes.LONG,
            x -> (long) new long[Integer.MAX_VALUE].length);
    TaskFailedException e =
        assertThrows(TaskFailedException.class, () -> pool.map(bigArray, List.of(1L)));
    assertEquals("bigarray", e.task());
    assertEquals("java.lang.OutOfMemoryError", e.remoteError().type());
    assertTrue(
        e.getMessage()
            .startsWith("task 'bigarray' failed on input 1 (position 0): OutOfMemoryError: "),
        e.getMessage());
    assertEquals(List.of(1L, 4L), pool.map(BuiltinTasks.SQUARE, List.of(1L, 2L)));
  }

  @Test
  void theEmbeddedConfigNeverEndsTheJvmOnAFatalError() {
    assertFalse(
        pool.system().settings().config().getBoolean("pekko.jvm-exit-on-fatal-error"),
        "the JVM is the application's");
  }
}
