package org.clusterpool.exercises.bank;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.clusterpool.node.wire.CborSerializable;

/**
 * One account that a transfer can hold: while held, it answers nobody else (their messages wait in
 * its stash) until the holder releases it with the change to apply. A transfer holds both its
 * accounts, lower first, then changes both and releases both, so nobody can ever see one changed
 * and not the other: the total is intact at every instant. The price: two round trips and two more
 * messages per transfer, and accounts that wait on each other. It is a lock again, made of
 * messages, with the same need for a global order.
 */
final class HeldAccountActor {
  private HeldAccountActor() {}

  sealed interface Command permits Hold, Release, GetBalance {}

  /** Take this account for one transfer; the reply carries its balance. */
  record Hold(ActorRef<Held> replyTo) implements Command, CborSerializable {}

  record Held(long balance) implements CborSerializable {}

  /** Apply {@code change} (negative: a debit) and answer others again. */
  record Release(long change) implements Command, CborSerializable {}

  record GetBalance(ActorRef<Balance> replyTo) implements Command, CborSerializable {}

  record Balance(long value) implements CborSerializable {}

  /**
   * More than the clients can ever have waiting: each client waits for its reply before it sends
   * more.
   */
  private static final int STASH_CAPACITY = 10_000;

  static Behavior<Command> create(long opening) {
    return Behaviors.withStash(STASH_CAPACITY, stash -> free(opening, stash));
  }

  private static Behavior<Command> free(long balance, StashBuffer<Command> stash) {
    return Behaviors.receive(Command.class)
        .onMessage(
            Hold.class,
            hold -> {
              hold.replyTo().tell(new Held(balance));
              return held(balance, stash);
            })
        .onMessage(
            GetBalance.class,
            get -> {
              get.replyTo().tell(new Balance(balance));
              return Behaviors.same();
            })
        .onMessage(
            Release.class,
            release -> {
              throw new IllegalStateException("released an account nobody held");
            })
        .build();
  }

  private static Behavior<Command> held(long balance, StashBuffer<Command> stash) {
    return Behaviors.receive(Command.class)
        .onMessage(
            Release.class, release -> stash.unstashAll(free(balance + release.change(), stash)))
        .onAnyMessage(
            other -> {
              stash.stash(other);
              return Behaviors.same();
            })
        .build();
  }
}
