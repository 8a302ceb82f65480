package org.clusterpool.coordinator.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Collections;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.junit.jupiter.api.Test;

/** {@link PoolSemantics} on an embedded pool: actors in this JVM. */
class EmbeddedPoolSemanticsTest extends PoolSemantics {
  @Override
  ClusterPool open() {
    return ClusterPool.embedded(2);
  }

  @Override
  ClusterPool openAnother() {
    return ClusterPool.embedded(1);
  }

  /** Its actor system, and with it every thread that would keep the program alive, has ended. */
  @Override
  void assertStopped(ClusterPool stopped) {
    assertTrue(stopped.system().getWhenTerminated().toCompletableFuture().isDone());
  }

  /**
   * An imap whose iterator is dropped stops, rather than run to its end after close() with its
   * results kept for nobody (the heap filled, the JVM never exited): the closed pool then stops.
   */
  @Test
  void aDroppedImapStopsSoAClosedPoolStops() {
    ClusterPool other = openAnother();
    try {
      // 20,000 inputs of 50 ms on one worker: over 15 minutes if the job ran to its end
      readOneAndDrop(other);
      other.close();
      assertTimeoutPreemptively(
          Duration.ofSeconds(60),
          () -> {
            do System.gc(); // the iterator is found unreachable
            while (!other.join(Duration.ofMillis(200)));
          },
          "a closed pool whose only job's iterator was dropped stops");
      assertStopped(other);
    } finally {
      other.terminate();
    }
  }

  /** Reads one result, then lets the iterator go: nothing refers to it once this returns. */
  private static void readOneAndDrop(ClusterPool pool) {
    ResultIterator<Double> it =
        pool.imap(BuiltinTasks.SLEEP_BLOCKING, Collections.nCopies(20_000, 0.05), 1);
    assertEquals(0.05, it.next());
  }
}
