package org.clusterpool.exercises.counter;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The same critical section as {@code synchronized}, with an explicit lock, released in {@code
 * finally}.
 */
final class ReentrantLockCounter implements Counter {
  private final ReentrantLock lock = new ReentrantLock();
  private long count;

  @Override
  public void increment(int worker) {
    lock.lock();
    try {
      count++;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long total() {
    lock.lock();
    try {
      return count;
    } finally {
      lock.unlock();
    }
  }
}
