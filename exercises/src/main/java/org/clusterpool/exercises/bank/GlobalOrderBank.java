package org.clusterpool.exercises.bank;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A lock per account, always taken lower account first, whatever the direction of the transfer. A
 * thread only ever waits for a higher lock than any it holds, so no cycle of waits, and no
 * deadlock, can form.
 */
final class GlobalOrderBank implements Bank {
  private LockedAccounts accounts;

  @Override
  public void open(long[] opening) {
    accounts = new LockedAccounts(opening);
  }

  @Override
  public boolean transfer(int from, int to, long amount) throws InterruptedException {
    ReentrantLock first = accounts.lock(Math.min(from, to));
    ReentrantLock second = accounts.lock(Math.max(from, to));
    first.lockInterruptibly();
    try {
      second.lockInterruptibly();
      try {
        return accounts.move(from, to, amount);
      } finally {
        second.unlock();
      }
    } finally {
      first.unlock();
    }
  }

  @Override
  public long[] balances() throws InterruptedException {
    return accounts.snapshot();
  }
}
