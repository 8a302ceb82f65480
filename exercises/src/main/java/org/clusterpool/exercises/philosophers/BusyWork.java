package org.clusterpool.exercises.philosophers;

/**
 * Work that takes time without sleeping (a sleep would hand the core to another thread and hide the
 * contention): steps of a random-number generator whose result the caller keeps, so the JIT cannot
 * drop them.
 */
final class BusyWork {
  private BusyWork() {}

  static long steps(long seed, int steps) {
    long x = seed | 1;
    for (int i = 0; i < steps; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
    }
    return x;
  }
}
