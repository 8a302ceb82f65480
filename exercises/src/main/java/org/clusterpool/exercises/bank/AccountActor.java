package org.clusterpool.exercises.bank;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.clusterpool.node.wire.CborSerializable;

/**
 * One account, owned by one actor: its balance is a plain field that only this actor touches, one
 * message at a time. A transfer is a protocol of two steps: the paying account checks and debits,
 * then sends the money on in a {@link Credit}, and the receiving account credits it and tells the
 * client. Between the two steps the money is in a message, in no account: the total is right once
 * the message has landed, not at every instant.
 */
final class AccountActor extends AbstractBehavior<AccountActor.Command> {

  sealed interface Command permits Transfer, Credit, GetBalance {}

  /** Step one, from the client to the paying account. */
  record Transfer(long amount, ActorRef<Command> to, ActorRef<TransferReply> replyTo)
      implements Command, CborSerializable {}

  /** Step two, from the paying account to the receiving one: the money travels in here. */
  record Credit(long amount, ActorRef<TransferReply> replyTo)
      implements Command, CborSerializable {}

  record GetBalance(ActorRef<Balance> replyTo) implements Command, CborSerializable {}

  record Balance(long value) implements CborSerializable {}

  static Behavior<Command> create(long opening) {
    return Behaviors.setup(context -> new AccountActor(context, opening));
  }

  private long balance;

  private AccountActor(ActorContext<Command> context, long opening) {
    super(context);
    this.balance = opening;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Transfer.class, this::onTransfer)
        .onMessage(Credit.class, this::onCredit)
        .onMessage(GetBalance.class, this::onGetBalance)
        .build();
  }

  private Behavior<Command> onTransfer(Transfer transfer) {
    if (balance < transfer.amount()) {
      transfer.replyTo().tell(new TransferReply.Refused(balance, transfer.amount()));
      return this;
    }
    balance -= transfer.amount();
    transfer.to().tell(new Credit(transfer.amount(), transfer.replyTo()));
    return this;
  }

  private Behavior<Command> onCredit(Credit credit) {
    balance += credit.amount();
    credit.replyTo().tell(new TransferReply.Transferred(credit.amount()));
    return this;
  }

  private Behavior<Command> onGetBalance(GetBalance message) {
    message.replyTo().tell(new Balance(balance));
    return this;
  }
}
