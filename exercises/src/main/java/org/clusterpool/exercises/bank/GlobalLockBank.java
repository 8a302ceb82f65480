package org.clusterpool.exercises.bank;

/**
 * One lock for the whole bank: simple and obviously right, and no two transfers ever run at the
 * same time.
 */
final class GlobalLockBank implements Bank {
  private long[] balances;

  @Override
  public synchronized void open(long[] opening) {
    balances = opening.clone();
  }

  @Override
  public synchronized boolean transfer(int from, int to, long amount) {
    if (balances[from] < amount) return false;
    balances[from] -= amount;
    balances[to] += amount;
    return true;
  }

  @Override
  public synchronized long[] balances() {
    return balances.clone();
  }
}
