package org.clusterpool.node.task.builtin;

import java.math.BigInteger;
import org.clusterpool.node.task.CpuTask;
import org.clusterpool.node.task.TaskContext;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;

/** Whether n is prime: deterministic Miller-Rabin, exact for every 64-bit integer. */
public final class IsPrime implements CpuTask<Long, Boolean> {
  private static final long[] BASES = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};

  @Override
  public String name() {
    return "is-prime";
  }

  @Override
  public String description() {
    return "whether n is prime (Miller-Rabin, exact for 64-bit integers)";
  }

  @Override
  public ValueType<Long> inputType() {
    return ValueTypes.LONG;
  }

  @Override
  public ValueType<Boolean> outputType() {
    return ValueTypes.BOOLEAN;
  }

  @Override
  public Boolean apply(Long input, TaskContext context) {
    return isPrime(input);
  }

  static boolean isPrime(long n) {
    if (n < 2) return false;
    for (long p : BASES) {
      if (n % p == 0) return n == p;
    }
    long d = n - 1;
    int r = Long.numberOfTrailingZeros(d);
    d >>= r;
    for (long a : BASES) {
      if (!passes(a, d, r, n)) return false;
    }
    return true;
  }

  private static boolean passes(long a, long d, int r, long n) {
    long x = modPow(a, d, n);
    if (x == 1 || x == n - 1) return true;
    for (int i = 1; i < r; i++) {
      x = mulMod(x, x, n);
      if (x == n - 1) return true;
    }
    return false;
  }

  private static long modPow(long base, long exponent, long m) {
    long result = 1;
    long b = base % m;
    for (long e = exponent; e > 0; e >>= 1) {
      if ((e & 1) == 1) result = mulMod(result, b, m);
      b = mulMod(b, b, m);
    }
    return result;
  }

  private static long mulMod(long a, long b, long m) {
    if (m < 3037000500L) return a * b % m; // the product fits in a long
    return BigInteger.valueOf(a)
        .multiply(BigInteger.valueOf(b))
        .mod(BigInteger.valueOf(m))
        .longValue();
  }
}
