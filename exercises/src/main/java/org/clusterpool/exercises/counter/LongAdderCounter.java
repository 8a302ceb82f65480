package org.clusterpool.exercises.counter;

import java.util.concurrent.atomic.LongAdder;

/**
 * A count spread over cells: when workers collide, each gets a cell of its own, and reading the
 * count adds the cells up. The per-worker idea, hidden inside one object.
 */
final class LongAdderCounter implements Counter {
  private final LongAdder count = new LongAdder();

  @Override
  public void increment(int worker) {
    count.increment();
  }

  @Override
  public long total() {
    return count.sum();
  }
}
