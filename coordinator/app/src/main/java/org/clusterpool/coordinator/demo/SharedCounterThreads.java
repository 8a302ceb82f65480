package org.clusterpool.coordinator.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The contrast to isolated workers: threads of one process share its memory. Each of {@code
 * threads} threads increments one shared counter {@code each} times and notes the largest value it
 * saw. They start together, from a latch, so that they run at the same time and not one after the
 * other as they would if each were done before the next one started.
 */
final class SharedCounterThreads {
  private SharedCounterThreads() {}

  /**
   * @param largestSeen per thread, the largest value the shared counter had after one of its
   *     increments
   */
  record Result(long finalValue, long each, List<Long> largestSeen) {
    /** The most a thread saw: more than its own increments means it saw the others' writes. */
    long mostSeen() {
      return largestSeen.stream().mapToLong(Long::longValue).max().orElse(0);
    }
  }

  static Result run(int threads, long each) throws InterruptedException {
    AtomicLong shared = new AtomicLong();
    long[] largest = new long[threads];
    List<Thread> started = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    for (int t = 0; t < threads; t++) {
      int index = t;
      Thread thread =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                for (long i = 0; i < each; i++)
                  largest[index] = Math.max(largest[index], shared.incrementAndGet());
              },
              "shared-counter-" + (t + 1));
      thread.start();
      started.add(thread);
    }
    go.countDown();
    for (Thread thread : started) thread.join();
    List<Long> seen = new ArrayList<>();
    for (long value : largest) seen.add(value);
    return new Result(shared.get(), each, seen);
  }
}
