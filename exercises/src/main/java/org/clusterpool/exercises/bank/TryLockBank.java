package org.clusterpool.exercises.bank;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.clusterpool.exercises.harness.Remarks;
import org.clusterpool.exercises.report.Figures;

/**
 * A lock per account, taken in the naive order but never waited for: {@code tryLock} the first,
 * then the second; if either is taken, let go of everything, back off for a random while, and try
 * again. Nobody ever holds one lock while waiting for another, so no deadlock; the random back-off
 * keeps two threads from retrying in step forever (a livelock).
 */
final class TryLockBank implements Bank, Remarks {
  private static final long FIRST_BACK_OFF_NANOS = 1_000;
  private static final long MAX_BACK_OFF_NANOS = 1_000_000;

  private LockedAccounts accounts;
  private final LongAdder backOffs = new LongAdder();

  @Override
  public void open(long[] opening) {
    accounts = new LockedAccounts(opening);
  }

  @Override
  public boolean transfer(int from, int to, long amount) throws InterruptedException {
    ReentrantLock first = accounts.lock(from);
    ReentrantLock second = accounts.lock(to);
    long backOff = FIRST_BACK_OFF_NANOS;
    while (true) {
      if (first.tryLock()) {
        try {
          if (second.tryLock()) {
            try {
              return accounts.move(from, to, amount);
            } finally {
              second.unlock();
            }
          }
        } finally {
          first.unlock();
        }
      }
      backOffs.increment();
      LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(backOff) + 1);
      if (Thread.interrupted()) throw new InterruptedException("stopped while backing off");
      backOff = Math.min(backOff * 2, MAX_BACK_OFF_NANOS);
    }
  }

  @Override
  public long[] balances() throws InterruptedException {
    return accounts.snapshot();
  }

  @Override
  public List<String> remarks() {
    return List.of(
        "backed off " + Figures.count(backOffs.sum(), "times") + " when a lock was taken");
  }
}
