package org.clusterpool.exercises.philosophers;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The forks of a table, a lock each: the tables built on it differ only in the order a philosopher
 * takes its two, which is the whole lesson (as {@code bank.LockedAccounts} is for the banks).
 */
final class ForkLocks {
  private final ReentrantLock[] forks;

  ForkLocks(int philosophers) {
    forks = new ReentrantLock[philosophers];
    for (int f = 0; f < philosophers; f++) forks[f] = new ReentrantLock();
  }

  ReentrantLock left(int philosopher) {
    return forks[leftFork(philosopher)];
  }

  ReentrantLock right(int philosopher) {
    return forks[rightFork(philosopher)];
  }

  /** The lower-numbered of a philosopher's two forks. */
  ReentrantLock lower(int philosopher) {
    return forks[Math.min(leftFork(philosopher), rightFork(philosopher))];
  }

  /** The higher-numbered of a philosopher's two forks. */
  ReentrantLock higher(int philosopher) {
    return forks[Math.max(leftFork(philosopher), rightFork(philosopher))];
  }

  private int leftFork(int philosopher) {
    return PhilosophersParameters.leftFork(philosopher);
  }

  private int rightFork(int philosopher) {
    return PhilosophersParameters.rightFork(philosopher, forks.length);
  }
}
