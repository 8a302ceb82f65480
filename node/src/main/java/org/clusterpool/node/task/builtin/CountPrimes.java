package org.clusterpool.node.task.builtin;

import org.clusterpool.node.task.LongTask;
import org.clusterpool.node.task.TaskContext;

/**
 * The number of primes below n, by a sieve of odd numbers: cpu-bound work whose cost grows with n,
 * which is what the skewed-work benchmark needs.
 */
public final class CountPrimes implements LongTask {
  static final long MAX = 100_000_000L;

  /**
   * The sieve's bits, kept per thread: a worker sieves thousands of times and need not allocate
   * each time.
   */
  private static final ThreadLocal<long[]> BITS = ThreadLocal.withInitial(() -> new long[0]);

  @Override
  public String name() {
    return "count-primes";
  }

  @Override
  public String description() {
    return "how many primes are below n (a sieve: cost grows with n)";
  }

  @Override
  public void validate(Long n) {
    if (n < 0 || n > MAX) {
      throw new IllegalArgumentException(
          "count-primes: n = " + n + " is out of range: accepted 0.." + MAX);
    }
  }

  @Override
  public long applyAsLong(long n, TaskContext context) {
    validate(n);
    if (n <= 2) return 0;
    // bit i stands for the odd number 2i + 1; a set bit is a composite
    int odds = (int) (n / 2); // the odd numbers below n are 1, 3, ..., 2 * odds - 1
    int words = (odds >>> 6) + 1;
    long[] bits = BITS.get();
    if (bits.length < words) {
      bits = new long[words];
      BITS.set(bits);
    }
    java.util.Arrays.fill(bits, 0, words, 0L);
    for (long p = 3; p * p < n; p += 2) {
      int pi = (int) (p >>> 1);
      if ((bits[pi >>> 6] & (1L << pi)) != 0) continue;
      for (long m = p * p; m < n; m += 2 * p) {
        int mi = (int) (m >>> 1);
        bits[mi >>> 6] |= 1L << mi;
      }
    }
    int composites = 1; // 1 is not prime
    for (int w = 0; w < words; w++) {
      long word = bits[w];
      int lo = w << 6;
      if (lo + 64 > odds) {
        int valid = odds - lo;
        word &= valid <= 0 ? 0L : (valid >= 64 ? -1L : (1L << valid) - 1);
      }
      composites += Long.bitCount(word);
    }
    return 1 + (odds - composites); // 2, then the odd primes
  }
}
