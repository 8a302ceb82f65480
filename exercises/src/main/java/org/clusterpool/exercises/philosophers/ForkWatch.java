package org.clusterpool.exercises.philosophers;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Watches the forks from outside the solution: a philosopher that starts eating marks both its
 * forks as its own with a compare-and-set. If a neighbour has already marked one, the two are
 * eating at once, and the overlap is counted. Each philosopher keeps its own counts, in its own
 * slots.
 */
final class ForkWatch {
  private static final int FREE = -1;

  /** 16 longs between two philosophers' counts: no shared cache line. */
  private static final int STRIDE = 16;

  private final int philosophers;
  private final AtomicIntegerArray holder;
  private final long[] overlaps;
  private final long[] meals;

  ForkWatch(int philosophers) {
    this.philosophers = philosophers;
    holder = new AtomicIntegerArray(philosophers);
    for (int f = 0; f < philosophers; f++) holder.set(f, FREE);
    overlaps = new long[philosophers * STRIDE];
    meals = new long[philosophers * STRIDE];
  }

  /** Wraps one meal: claims the forks, eats, gives back what it claimed. */
  long eat(int philosopher, Eating eating) throws Exception {
    int left = PhilosophersParameters.leftFork(philosopher);
    int right = PhilosophersParameters.rightFork(philosopher, philosophers);
    boolean gotLeft = holder.compareAndSet(left, FREE, philosopher);
    boolean gotRight = holder.compareAndSet(right, FREE, philosopher);
    if (!gotLeft) overlaps[philosopher * STRIDE]++;
    if (!gotRight) overlaps[philosopher * STRIDE]++;
    try {
      return eating.eat(philosopher);
    } finally {
      if (gotRight) holder.set(right, FREE);
      if (gotLeft) holder.set(left, FREE);
      meals[philosopher * STRIDE]++;
    }
  }

  long overlaps() {
    long sum = 0;
    for (int p = 0; p < philosophers; p++) sum += overlaps[p * STRIDE];
    return sum;
  }

  long meals(int philosopher) {
    return meals[philosopher * STRIDE];
  }
}
