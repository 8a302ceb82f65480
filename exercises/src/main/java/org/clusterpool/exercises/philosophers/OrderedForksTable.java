package org.clusterpool.exercises.philosophers;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A lock per fork, lower-numbered fork first. The last philosopher, whose forks are n - 1 and 0, takes fork 0
 * first, against the others' direction: that one exception breaks the cycle, so no deadlock can form.
 */
final class OrderedForksTable implements DiningTable {
  private ReentrantLock[] forks;

  @Override
  public void open(int philosophers) {
    forks = new ReentrantLock[philosophers];
    for (int f = 0; f < philosophers; f++) forks[f] = new ReentrantLock();
  }

  @Override
  public void dine(int philosopher, Runnable meal) throws InterruptedException {
    int left = PhilosophersParameters.leftFork(philosopher);
    int right = PhilosophersParameters.rightFork(philosopher, forks.length);
    ReentrantLock first = forks[Math.min(left, right)];
    ReentrantLock second = forks[Math.max(left, right)];
    first.lockInterruptibly();
    try {
      second.lockInterruptibly();
      try {
        meal.run();
      } finally {
        second.unlock();
      }
    } finally {
      first.unlock();
    }
  }
}
