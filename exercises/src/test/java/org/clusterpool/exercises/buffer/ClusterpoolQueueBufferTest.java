package org.clusterpool.exercises.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The clusterpool queue as the buffer's third message-passing reference: listed, bounded (a put
 * into a full buffer waits for a take), and first in, first out. The harness checks it with the
 * other references in {@link BufferTest}.
 */
@Timeout(30)
class ClusterpoolQueueBufferTest {

  @Test
  void isOneOfTheReferences() {
    assertTrue(
        new BufferExercise()
            .references().stream()
                .anyMatch(
                    r ->
                        r.name().equals(BufferExercise.CLUSTERPOOL_QUEUE)
                            && r.create() instanceof ClusterpoolQueueBuffer));
  }

  @Test
  void aPutIntoAFullBufferWaitsForATake() throws Exception {
    try (ClusterpoolQueueBuffer buffer = new ClusterpoolQueueBuffer()) {
      buffer.open(2);
      buffer.put(1);
      buffer.put(2);
      CompletableFuture<Void> third =
          CompletableFuture.runAsync(
              () -> {
                try {
                  buffer.put(3);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      Thread.sleep(200);
      assertFalse(third.isDone(), "the buffer holds 2: the third put waits");
      assertEquals(1, buffer.take());
      third.get(10, TimeUnit.SECONDS);
      assertEquals(2, buffer.take());
      assertEquals(3, buffer.take());
    }
  }
}
