package org.clusterpool.exercises.bank;

import org.clusterpool.exercises.harness.Verdict;
import org.clusterpool.exercises.harness.Workload;

/** Each client makes its share of the plan's transfers and writes down what the bank answered. */
final class BankWorkload implements Workload<Bank, long[]> {
  private final BankParameters parameters;
  private final TransferPlan plan;
  private final Ledger ledger;
  private final long[] opening;

  BankWorkload(BankParameters parameters) {
    this(parameters, new RandomTransfers(parameters));
  }

  /** With a plan of the test's choosing, such as two transfers in opposite directions. */
  BankWorkload(BankParameters parameters, TransferPlan plan) {
    this.parameters = parameters;
    this.plan = plan;
    this.ledger = new Ledger(parameters.threads(), parameters.accounts());
    this.opening = parameters.openingBalances();
  }

  @Override
  public String unit() {
    return "transfers";
  }

  @Override
  public long operations() {
    return parameters.transfers();
  }

  @Override
  public int clients() {
    return parameters.threads();
  }

  @Override
  public String clientName(int client) {
    return "client-" + client;
  }

  @Override
  public long calls(int client) {
    return parameters.share(client);
  }

  @Override
  public void open(Bank bank) {
    bank.open(opening.clone());
  }

  @Override
  public long operate(Bank bank, int client, long call) throws InterruptedException {
    TransferPlan.Transfer transfer = plan.next(client, call);
    if (bank.transfer(transfer.from(), transfer.to(), transfer.amount()))
      ledger.done(client, transfer);
    else ledger.refused(client);
    return 1;
  }

  @Override
  public long[] finish(Bank bank) throws InterruptedException {
    return bank.balances();
  }

  @Override
  public Verdict check(long[] balances) {
    return BankCheck.check(opening, balances, ledger.expected(opening), ledger.refused());
  }
}
