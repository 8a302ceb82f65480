package org.clusterpool.exercises.bank;

import java.util.SplittableRandom;

/**
 * Transfers between two different accounts chosen at random, of 1 to {@link
 * BankParameters#MAX_AMOUNT}; repeatable from the seed.
 */
final class RandomTransfers implements TransferPlan {
  private final int accounts;
  private final SplittableRandom[] randoms;

  RandomTransfers(BankParameters parameters) {
    this.accounts = parameters.accounts();
    this.randoms = new SplittableRandom[parameters.threads()];
    for (int c = 0; c < randoms.length; c++)
      randoms[c] = new SplittableRandom(parameters.seed() * 1_000_003 + c);
  }

  @Override
  public Transfer next(int client, long call) {
    SplittableRandom random = randoms[client];
    int from = random.nextInt(accounts);
    int to = random.nextInt(accounts - 1);
    if (to >= from) to++;
    return new Transfer(from, to, 1 + random.nextLong(BankParameters.MAX_AMOUNT));
  }
}
