package org.clusterpool.node.task.builtin;

import org.clusterpool.node.task.LongTask;
import org.clusterpool.node.task.TaskContext;

/**
 * Fibonacci by naive recursion: exponential on purpose, the classic cpu-bound toy (fib 30 takes
 * milliseconds, fib 45 seconds).
 */
public final class Fib implements LongTask {
  static final long MAX = 50;

  @Override
  public String name() {
    return "fib";
  }

  @Override
  public String description() {
    return "the n-th Fibonacci number by naive recursion (exponential: fib 45 takes seconds)";
  }

  @Override
  public void validate(Long n) {
    if (n < 0 || n > MAX) {
      throw new IllegalArgumentException(
          "fib: n = "
              + n
              + " is out of range: accepted 0.."
              + MAX
              + " (the naive recursion doubles its time with each step)");
    }
  }

  @Override
  public long applyAsLong(long n, TaskContext context) {
    validate(n);
    return fib((int) n);
  }

  static long fib(int n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
  }
}
