package org.clusterpool.exercises.bank;

import java.util.Arrays;

/**
 * The bank problem's size. Every account opens with {@link #OPENING_BALANCE}; a transfer moves
 * between 1 and {@link #MAX_AMOUNT}, so balances drift apart and some transfers are refused for
 * lack of money.
 *
 * @param threads client threads making transfers at once
 * @param accounts accounts in the bank
 * @param transfers transfers in all, shared out between the clients
 * @param seed where the random transfers start: the same seed gives every implementation the same
 *     transfers
 */
public record BankParameters(int threads, int accounts, long transfers, long seed) {

  public static final long OPENING_BALANCE = 1_000;
  public static final long MAX_AMOUNT = 200;
  public static final int MAX_THREADS = 64;
  public static final int MAX_ACCOUNTS = 10_000;
  public static final long MAX_TRANSFERS = 100_000_000L;

  public static BankParameters defaults() {
    return new BankParameters(4, 100, 50_000, 1);
  }

  public BankParameters {
    if (threads < 1 || threads > MAX_THREADS) {
      throw new IllegalArgumentException(
          "threads must be between 1 and " + MAX_THREADS + ", got " + threads);
    }
    if (accounts < 2 || accounts > MAX_ACCOUNTS) {
      throw new IllegalArgumentException(
          "accounts must be between 2 and " + MAX_ACCOUNTS + ", got " + accounts);
    }
    if (transfers < 1 || transfers > MAX_TRANSFERS) {
      throw new IllegalArgumentException(
          "transfers must be between 1 and " + MAX_TRANSFERS + ", got " + transfers);
    }
  }

  /** Client {@code client}'s share of the transfers. */
  long share(int client) {
    return transfers / threads + (client < transfers % threads ? 1 : 0);
  }

  long[] openingBalances() {
    long[] balances = new long[accounts];
    Arrays.fill(balances, OPENING_BALANCE);
    return balances;
  }
}
