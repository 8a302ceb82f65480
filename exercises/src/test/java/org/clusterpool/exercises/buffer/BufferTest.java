package org.clusterpool.exercises.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.clusterpool.exercises.harness.Harness;
import org.clusterpool.exercises.harness.Implementation;
import org.clusterpool.exercises.harness.Measurement;
import org.clusterpool.exercises.harness.Outcome;
import org.clusterpool.exercises.harness.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The buffer references through the real harness: every item taken exactly once and never more than
 * the capacity waiting, with many producers and consumers on a tiny buffer; and a buffer that is
 * not bounded is caught every time.
 */
@Timeout(60)
class BufferTest {

  private static final Duration LIMIT = Duration.ofSeconds(30);

  static Stream<Arguments> referencesAndSizes() {
    return new BufferExercise()
        .references().stream()
            .flatMap(
                reference ->
                    Stream.of(
                        Arguments.of(reference, new BufferParameters(4, 4, 10_000, 3)),
                        Arguments.of(reference, new BufferParameters(1, 3, 2_000, 1))));
  }

  @ParameterizedTest
  @MethodSource("referencesAndSizes")
  void deliversEveryItemOnceWithinTheCapacity(
      Implementation<BoundedBuffer> reference, BufferParameters parameters) {
    Measurement m = Harness.measure(reference, new BufferWorkload(parameters), LIMIT);
    assertEquals(Outcome.Kind.FINISHED, m.outcome().kind(), m.outcome().toString());
    assertTrue(m.correct(), m.verdict().evidence());
    assertTrue(
        m.verdict()
            .evidence()
            .startsWith("all " + String.format("%,d", parameters.items()) + " items taken once"),
        m.verdict().evidence());
    assertEquals(parameters.items(), m.operations());
  }

  /** No bound at all, and a consumer that takes nothing before the producer has put everything. */
  static final class UnboundedBuffer implements BoundedBuffer {
    private final LinkedBlockingQueue<Long> queue = new LinkedBlockingQueue<>();
    private final AtomicLong puts = new AtomicLong();
    private final CountDownLatch everythingPut = new CountDownLatch(1);
    private final long items;

    UnboundedBuffer(long items) {
      this.items = items;
    }

    @Override
    public void open(int capacity) {}

    @Override
    public void put(long item) {
      queue.add(item);
      if (puts.incrementAndGet() == items) everythingPut.countDown();
    }

    @Override
    public long take() throws InterruptedException {
      if (!everythingPut.await(10, TimeUnit.SECONDS))
        throw new IllegalStateException("the producer never finished");
      return queue.take();
    }
  }

  @Test
  void aBufferThatHoldsMoreThanItsCapacityIsCaught() {
    // the consumer has begun one take and waits: the producer's 32nd put already proves 31 items
    // waiting
    Implementation<BoundedBuffer> unbounded =
        Implementation.student("UnboundedBuffer", "test", () -> new UnboundedBuffer(100));
    Measurement m =
        Harness.measure(unbounded, new BufferWorkload(new BufferParameters(1, 1, 100, 4)), LIMIT);
    assertEquals(Outcome.Kind.FINISHED, m.outcome().kind(), m.outcome().toString());
    assertFalse(m.correct());
    assertTrue(
        m.verdict().evidence().matches("\\d+ items waiting at once, capacity 4"),
        m.verdict().evidence());
    assertTrue(m.verdict().figure() >= 31 - 4, m.verdict().toString());
  }

  @Test
  void theCheckerCountsDuplicatedLostAndForeignItems() {
    Deliveries fine = new Deliveries(4, 2, new long[][] {{0, 2}, {1, 3}}, 2);
    assertEquals(
        Verdict.holds("all 4 items taken once, at most 2 of 2 seen waiting"),
        BufferCheck.check(fine));
    Deliveries duplicated = new Deliveries(4, 2, new long[][] {{0, 2}, {2, 3}}, 1);
    assertEquals(
        Verdict.broken(2, "1 item duplicated; 1 item never taken"), BufferCheck.check(duplicated));
    Deliveries thrice = new Deliveries(3, 2, new long[][] {{0, 0}, {0}}, 1);
    assertEquals(
        Verdict.broken(4, "2 items duplicated; 2 items never taken"), BufferCheck.check(thrice));
    Deliveries foreign = new Deliveries(2, 2, new long[][] {{0, -7}}, 1);
    assertEquals(
        "1 item never taken; 1 item taken that nobody put", BufferCheck.check(foreign).evidence());
    Deliveries overfull = new Deliveries(2, 2, new long[][] {{0, 1}}, 5);
    assertEquals(
        Verdict.broken(3, "5 items waiting at once, capacity 2"), BufferCheck.check(overfull));
  }

  @Test
  void sharesItemsBetweenProducersAndConsumers() {
    BufferParameters parameters = new BufferParameters(3, 2, 10, 1);
    assertEquals(
        List.of(4L, 3L, 3L),
        List.of(parameters.produces(0), parameters.produces(1), parameters.produces(2)));
    assertEquals(List.of(5L, 5L), List.of(parameters.consumes(0), parameters.consumes(1)));
  }
}
