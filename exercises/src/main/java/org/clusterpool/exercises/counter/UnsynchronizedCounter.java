package org.clusterpool.exercises.counter;

/**
 * {@code count++} with nothing around it. It is three steps, a read, an add and a write, and
 * another worker's increment can fall between the read and the write: both read the same value,
 * both write value + 1, and one increment is lost. It is not final: a test stops a worker between
 * the read and the write to show the lost update on every run, not only when the scheduler happens
 * to interleave.
 */
class UnsynchronizedCounter implements Counter {
  private long count;

  @Override
  public void increment(int worker) {
    long read = count;
    afterRead(worker);
    count = read + 1;
  }

  /** Nothing in a real run; where a test holds a worker between its read and its write. */
  void afterRead(int worker) {}

  @Override
  public long total() {
    return count;
  }
}
