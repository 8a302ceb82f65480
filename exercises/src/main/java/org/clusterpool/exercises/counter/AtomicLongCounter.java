package org.clusterpool.exercises.counter;

import java.util.concurrent.atomic.AtomicLong;

/**
 * No lock: the processor's compare-and-set makes read-add-write one indivisible step, retried when
 * another worker got there first. Every worker still writes the same memory, which moves from core
 * to core.
 */
final class AtomicLongCounter implements Counter {
  private final AtomicLong count = new AtomicLong();

  @Override
  public void increment(int worker) {
    count.incrementAndGet();
  }

  @Override
  public long total() {
    return count.get();
  }
}
