package org.clusterpool.exercises.bank;

import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.clusterpool.node.wire.CborSerializable;

/**
 * A worker that owns a slice of the accounts: account {@code a} lives in shard {@code a % shards},
 * at slot {@code a / shards} of its private array. A transfer inside one shard is one message,
 * applied at once. A transfer between shards is debited here and credited by the other shard, in a
 * message, as between account actors. Fewer, busier actors than one per account: the messages that
 * cross are the ones that must.
 */
final class AccountShard extends AbstractBehavior<AccountShard.Command> {

  sealed interface Command permits Peers, Transfer, Credit, GetBalances {}

  /** Every shard, this one included, in shard order: sent once, before any transfer. */
  record Peers(List<ActorRef<Command>> shards) implements Command, CborSerializable {}

  /** From the client to the paying account's shard. */
  record Transfer(int from, int to, long amount, ActorRef<TransferReply> replyTo)
      implements Command, CborSerializable {}

  /** From the paying shard to the receiving one: the money travels in here. */
  record Credit(int to, long amount, ActorRef<TransferReply> replyTo)
      implements Command, CborSerializable {}

  record GetBalances(ActorRef<Balances> replyTo) implements Command, CborSerializable {}

  /** This shard's slice of the balances, and how its transfers went. */
  record Balances(int shard, long[] slots, long withinShard, long acrossShards)
      implements CborSerializable {}

  static Behavior<Command> create(int shard, long[] slots) {
    return Behaviors.setup(context -> new AccountShard(context, shard, slots));
  }

  private final int shard;
  private final long[] slots;
  private List<ActorRef<Command>> shards = List.of();
  private long withinShard;
  private long acrossShards;

  private AccountShard(ActorContext<Command> context, int shard, long[] slots) {
    super(context);
    this.shard = shard;
    this.slots = slots.clone();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Peers.class, this::onPeers)
        .onMessage(Transfer.class, this::onTransfer)
        .onMessage(Credit.class, this::onCredit)
        .onMessage(GetBalances.class, this::onGetBalances)
        .build();
  }

  private Behavior<Command> onPeers(Peers peers) {
    shards = List.copyOf(peers.shards());
    return this;
  }

  private Behavior<Command> onTransfer(Transfer transfer) {
    int from = transfer.from() / shards.size();
    if (slots[from] < transfer.amount()) {
      transfer.replyTo().tell(new TransferReply.Refused(slots[from], transfer.amount()));
      return this;
    }
    slots[from] -= transfer.amount();
    int owner = transfer.to() % shards.size();
    if (owner == shard) {
      withinShard++;
      slots[transfer.to() / shards.size()] += transfer.amount();
      transfer.replyTo().tell(new TransferReply.Transferred(transfer.amount()));
    } else {
      acrossShards++;
      shards.get(owner).tell(new Credit(transfer.to(), transfer.amount(), transfer.replyTo()));
    }
    return this;
  }

  private Behavior<Command> onCredit(Credit credit) {
    slots[credit.to() / shards.size()] += credit.amount();
    credit.replyTo().tell(new TransferReply.Transferred(credit.amount()));
    return this;
  }

  private Behavior<Command> onGetBalances(GetBalances message) {
    message.replyTo().tell(new Balances(shard, slots.clone(), withinShard, acrossShards));
    return this;
  }
}
