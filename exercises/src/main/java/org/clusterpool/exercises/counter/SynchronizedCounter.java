package org.clusterpool.exercises.counter;

/**
 * The read, the add and the write under the object's monitor: one worker at a time, the others
 * blocked.
 */
final class SynchronizedCounter implements Counter {
  private long count;

  @Override
  public synchronized void increment(int worker) {
    count++;
  }

  @Override
  public synchronized long total() {
    return count;
  }
}
