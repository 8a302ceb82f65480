package org.clusterpool.exercises.buffer;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Proves, from outside the buffer, that it held more than its capacity, without a shared counter
 * that would slow every put. Each producer counts its returned puts and each consumer its begun
 * takes, each in a slot of its own. An item whose put has returned and whose take has not begun is
 * in the buffer, so at any instant the buffer holds at least (puts returned) - (takes begun).
 * Reading every put slot, then every take slot, gives a value that the buffer held at the instant
 * between the two reads: never an overestimate.
 */
final class Occupancy {
  /** 16 longs between slots: two threads' slots never share a cache line. */
  private static final int STRIDE = 16;

  private final AtomicLongArray putsReturned;
  private final AtomicLongArray takesBegun;
  private final long[] highest;
  private final int producers;
  private final int consumers;

  Occupancy(int producers, int consumers) {
    this.producers = producers;
    this.consumers = consumers;
    putsReturned = new AtomicLongArray(producers * STRIDE);
    takesBegun = new AtomicLongArray(consumers * STRIDE);
    highest = new long[producers * STRIDE];
  }

  void putReturned(int producer, long count) {
    putsReturned.lazySet(producer * STRIDE, count);
  }

  void takeBegins(int consumer, long count) {
    takesBegun.lazySet(consumer * STRIDE, count);
  }

  /**
   * Called by a producer now and then: the least the buffer holds now, remembered if it is the most
   * seen.
   */
  void sample(int producer) {
    long puts = 0;
    for (int p = 0; p < producers; p++) puts += putsReturned.get(p * STRIDE);
    long takes = 0;
    for (int c = 0; c < consumers; c++) takes += takesBegun.get(c * STRIDE);
    highest[producer * STRIDE] = Math.max(highest[producer * STRIDE], puts - takes);
  }

  /** The most items seen waiting at once; read after every producer finished. */
  long highest() {
    long max = 0;
    for (int p = 0; p < producers; p++) max = Math.max(max, highest[p * STRIDE]);
    return max;
  }
}
