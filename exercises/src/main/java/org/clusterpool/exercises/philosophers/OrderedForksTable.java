package org.clusterpool.exercises.philosophers;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A lock per fork, lower-numbered fork first. The last philosopher, whose forks are n - 1 and 0,
 * takes fork 0 first, against the others' direction: that one exception breaks the cycle, so no
 * deadlock can form.
 */
final class OrderedForksTable implements DiningTable {
  private ForkLocks forks;

  @Override
  public void open(int philosophers) {
    forks = new ForkLocks(philosophers);
  }

  @Override
  public void dine(int philosopher, Runnable meal) throws InterruptedException {
    ReentrantLock first = forks.lower(philosopher);
    ReentrantLock second = forks.higher(philosopher);
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
