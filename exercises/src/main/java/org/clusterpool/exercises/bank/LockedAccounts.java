package org.clusterpool.exercises.bank;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Accounts that each have a lock of their own, so that transfers between different accounts run at
 * the same time. A balance is read and written only by a thread that holds its account's lock. The
 * banks built on it differ only in the order they take the two locks of a transfer, which is the
 * whole lesson.
 */
final class LockedAccounts {
  private final long[] balances;
  private final ReentrantLock[] locks;

  LockedAccounts(long[] opening) {
    balances = opening.clone();
    locks = new ReentrantLock[opening.length];
    for (int a = 0; a < locks.length; a++) locks[a] = new ReentrantLock();
  }

  ReentrantLock lock(int account) {
    return locks[account];
  }

  /** Moves money between two accounts whose locks the caller holds, if {@code from} has enough. */
  boolean move(int from, int to, long amount) {
    if (balances[from] < amount) return false;
    balances[from] -= amount;
    balances[to] += amount;
    return true;
  }

  /**
   * Every balance at one instant: holds every lock, taken in account order, while it copies them.
   */
  long[] snapshot() throws InterruptedException {
    int held = 0;
    try {
      for (; held < locks.length; held++) locks[held].lockInterruptibly();
      return balances.clone();
    } finally {
      for (int a = held - 1; a >= 0; a--) locks[a].unlock();
    }
  }
}
