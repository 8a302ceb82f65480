package org.clusterpool.exercises.counter;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.clusterpool.node.wire.CborSerializable;

/**
 * Owns the count. Nobody else can touch it, and it handles one message at a time, so {@code
 * count++} needs no lock here: the mailbox puts the increments in a line.
 */
final class CounterActor extends AbstractBehavior<CounterActor.Command> {

  sealed interface Command permits Increment, GetCount {}

  enum Increment implements Command, CborSerializable {
    INSTANCE
  }

  record GetCount(ActorRef<Count> replyTo) implements Command, CborSerializable {}

  record Count(long value) implements CborSerializable {}

  static Behavior<Command> create() {
    return Behaviors.setup(CounterActor::new);
  }

  private long count;

  private CounterActor(ActorContext<Command> context) {
    super(context);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Increment.INSTANCE, this::onIncrement)
        .onMessage(GetCount.class, this::onGetCount)
        .build();
  }

  private Behavior<Command> onIncrement() {
    count++;
    return this;
  }

  private Behavior<Command> onGetCount(GetCount message) {
    message.replyTo().tell(new Count(count));
    return this;
  }
}
