package org.clusterpool.exercises.bank;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.clusterpool.exercises.actors.SolutionActorSystem;

/**
 * One actor per account, and a transfer that holds both accounts (lower first, or two transfers
 * could each hold one and wait for the other, a deadlock made of messages) before it changes
 * either: the invariant is visible at every instant, at the price of two round trips per transfer.
 */
final class HeldAccountActorsBank implements Bank {
  private SolutionActorSystem system;
  private List<ActorRef<HeldAccountActor.Command>> accounts;

  @Override
  public void open(long[] opening) {
    system = SolutionActorSystem.start("account-actors-held");
    accounts = new ArrayList<>(opening.length);
    for (int a = 0; a < opening.length; a++) {
      accounts.add(system.spawn(HeldAccountActor.create(opening[a]), "account-" + a));
    }
  }

  @Override
  public boolean transfer(int from, int to, long amount) throws InterruptedException {
    int low = Math.min(from, to);
    int high = Math.max(from, to);
    long lowBalance = hold(low);
    long highBalance = hold(high);
    boolean enough = (from == low ? lowBalance : highBalance) >= amount;
    accounts.get(from).tell(new HeldAccountActor.Release(enough ? -amount : 0));
    accounts.get(to).tell(new HeldAccountActor.Release(enough ? amount : 0));
    return enough;
  }

  private long hold(int account) throws InterruptedException {
    return system
        .<HeldAccountActor.Command, HeldAccountActor.Held>ask(
            accounts.get(account), HeldAccountActor.Hold::new)
        .balance();
  }

  @Override
  public long[] balances() throws InterruptedException {
    return system
        .<HeldAccountActor.Command, HeldAccountActor.Balance>askAll(
            accounts, HeldAccountActor.GetBalance::new)
        .stream()
        .mapToLong(HeldAccountActor.Balance::value)
        .toArray();
  }

  @Override
  public void close() {
    if (system != null) system.terminate();
  }
}
