package org.clusterpool.exercises.philosophers;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A lock per fork, left fork first. If every philosopher takes its left fork at the same instant,
 * each waits forever for its right one, which its neighbour holds as its left: a cycle of waits, a
 * deadlock. The forks are taken with {@code lockInterruptibly} so that the watchdog can free the
 * threads. Not final: a test makes every philosopher hold its left fork before any reaches for its
 * right.
 */
class NaiveLocksTable implements DiningTable {
  private ForkLocks forks;

  @Override
  public void open(int philosophers) {
    forks = new ForkLocks(philosophers);
  }

  @Override
  public void dine(int philosopher, Runnable meal) throws InterruptedException {
    ReentrantLock left = forks.left(philosopher);
    ReentrantLock right = forks.right(philosopher);
    left.lockInterruptibly();
    try {
      afterLeftFork(philosopher);
      right.lockInterruptibly();
      try {
        meal.run();
      } finally {
        right.unlock();
      }
    } finally {
      left.unlock();
    }
  }

  /** Nothing in a real run; where a test holds a philosopher with its left fork in hand. */
  void afterLeftFork(int philosopher) throws InterruptedException {}
}
