package org.clusterpool.exercises.bank;

/**
 * What the clients were told: each client writes down, in its own row, the transfers the bank said
 * it made. From that and the opening balances, the final balance of every account is known exactly,
 * whatever the order the transfers ran in.
 */
final class Ledger {
  private final long[][] changes;
  private final long[] refused;

  Ledger(int clients, int accounts) {
    changes = new long[clients][accounts];
    refused = new long[clients];
  }

  void done(int client, TransferPlan.Transfer transfer) {
    changes[client][transfer.from()] -= transfer.amount();
    changes[client][transfer.to()] += transfer.amount();
  }

  void refused(int client) {
    refused[client]++;
  }

  /** Read once every client has finished (the harness's latch makes their rows visible). */
  long[] expected(long[] opening) {
    long[] balances = opening.clone();
    for (long[] row : changes) for (int a = 0; a < balances.length; a++) balances[a] += row[a];
    return balances;
  }

  long refused() {
    long sum = 0;
    for (long r : refused) sum += r;
    return sum;
  }
}
