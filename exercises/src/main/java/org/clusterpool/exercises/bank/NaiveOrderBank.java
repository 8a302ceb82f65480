package org.clusterpool.exercises.bank;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A lock per account, taken in the transfer's own order: first {@code from}, then {@code to}. A
 * transfer from A to B and one from B to A can each take their first lock and wait forever for the
 * other's: a deadlock. The locks are taken with {@code lockInterruptibly} so that the watchdog can
 * free the threads. Not final: a test makes both transfers hold their first lock before either
 * takes its second.
 */
class NaiveOrderBank implements Bank {
  private LockedAccounts accounts;

  @Override
  public void open(long[] opening) {
    accounts = new LockedAccounts(opening);
  }

  @Override
  public boolean transfer(int from, int to, long amount) throws InterruptedException {
    ReentrantLock first = accounts.lock(from);
    ReentrantLock second = accounts.lock(to);
    first.lockInterruptibly();
    try {
      afterFirstLock(from, to);
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

  /** Nothing in a real run; where a test holds a transfer with its first lock taken. */
  void afterFirstLock(int from, int to) throws InterruptedException {}

  @Override
  public long[] balances() throws InterruptedException {
    return accounts.snapshot();
  }
}
