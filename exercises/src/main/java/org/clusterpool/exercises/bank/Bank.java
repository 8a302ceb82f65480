package org.clusterpool.exercises.bank;

/**
 * The bank exercise: client threads transfer money between accounts, all at once. Two invariants:
 * the total money never changes, and no balance ever goes below zero.
 *
 * <p>How the harness uses a solution: it makes one instance per run with the public no-argument
 * constructor, calls {@link #open}, then its client threads call {@link #transfer} at the same
 * time. When every client is done it calls {@link #balances} once, then {@link #close}. The checker
 * then compares the balances with the initial total and with the transfers that {@code transfer}
 * reported as done.
 */
public interface Bank extends AutoCloseable {

  /**
   * Opens one account per balance: account {@code i} starts with {@code balances[i]}. Called once,
   * first.
   */
  void open(long[] balances);

  /**
   * Moves {@code amount} from account {@code from} to account {@code to} if {@code from} holds at
   * least that much, and says whether it did. Many client threads call this at the same time;
   * {@code from != to} and {@code amount > 0}. It may be interrupted when the harness stops a stuck
   * run.
   */
  boolean transfer(int from, int to, long amount) throws InterruptedException;

  /** Every account's balance, in account order; read once, after every transfer returned. */
  long[] balances() throws InterruptedException;

  /** Releases what {@link #open} started. */
  @Override
  default void close() {}
}
