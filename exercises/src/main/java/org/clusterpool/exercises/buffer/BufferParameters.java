package org.clusterpool.exercises.buffer;

/**
 * The buffer problem's size. Items are the numbers 0 to {@code items - 1}, shared out between the
 * producers; each consumer takes its share of them.
 */
public record BufferParameters(int producers, int consumers, long items, int capacity) {

  public static final int MAX_THREADS = 64;
  public static final long MAX_ITEMS = 10_000_000L;
  public static final int MAX_CAPACITY = 1_000_000;

  public static BufferParameters defaults() {
    return new BufferParameters(2, 2, 100_000, 64);
  }

  public BufferParameters {
    if (producers < 1 || producers > MAX_THREADS) {
      throw new IllegalArgumentException(
          "producers must be between 1 and " + MAX_THREADS + ", got " + producers);
    }
    if (consumers < 1 || consumers > MAX_THREADS) {
      throw new IllegalArgumentException(
          "consumers must be between 1 and " + MAX_THREADS + ", got " + consumers);
    }
    if (items < 1 || items > MAX_ITEMS) {
      throw new IllegalArgumentException(
          "items must be between 1 and " + MAX_ITEMS + ", got " + items);
    }
    if (capacity < 1 || capacity > MAX_CAPACITY) {
      throw new IllegalArgumentException(
          "capacity must be between 1 and " + MAX_CAPACITY + ", got " + capacity);
    }
  }

  /** Producer {@code p} puts items p, p + producers, p + 2 * producers... */
  long produces(int producer) {
    return (items - producer + producers - 1) / producers;
  }

  long consumes(int consumer) {
    return items / consumers + (consumer < items % consumers ? 1 : 0);
  }
}
