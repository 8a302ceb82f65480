package org.clusterpool.exercises.bank;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.clusterpool.exercises.actors.SolutionActorSystem;

/**
 * One actor per account and no lock anywhere: a transfer asks the paying account, which passes the
 * money on to the receiving one, which answers. The client waits for that answer (one round trip
 * per transfer).
 */
final class AccountActorsBank implements Bank {
  private SolutionActorSystem system;
  private List<ActorRef<AccountActor.Command>> accounts;

  @Override
  public void open(long[] opening) {
    system = SolutionActorSystem.start("account-actors");
    accounts = new ArrayList<>(opening.length);
    for (int a = 0; a < opening.length; a++)
      accounts.add(system.spawn(AccountActor.create(opening[a]), "account-" + a));
  }

  @Override
  public boolean transfer(int from, int to, long amount) throws InterruptedException {
    ActorRef<AccountActor.Command> receiver = accounts.get(to);
    TransferReply reply =
        system.<AccountActor.Command, TransferReply>ask(
            accounts.get(from), replyTo -> new AccountActor.Transfer(amount, receiver, replyTo));
    return reply instanceof TransferReply.Transferred;
  }

  @Override
  public long[] balances() throws InterruptedException {
    return system
        .<AccountActor.Command, AccountActor.Balance>askAll(accounts, AccountActor.GetBalance::new)
        .stream()
        .mapToLong(AccountActor.Balance::value)
        .toArray();
  }

  @Override
  public void close() {
    if (system != null) system.terminate();
  }
}
