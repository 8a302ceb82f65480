package org.clusterpool.node.mailbox;

import org.apache.pekko.actor.DeadLetter;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.clusterpool.node.wire.CborSerializable;

/**
 * Counts the messages of one kind that a full mailbox dropped: each becomes a dead letter,
 * published on this JVM's event stream when the send fails. Its own mailbox is unbounded, so it
 * never drops what it counts. {@code ready} runs once it is subscribed: drops from then on are all
 * counted.
 */
public final class DropCounter extends AbstractBehavior<DropCounter.Command> {

  public sealed interface Command permits Dead, Subscribed, Count, Stop {}

  private record Dead(DeadLetter letter) implements Command, NoSerializationVerificationNeeded {}

  /** Published after subscribing: when it comes back, the subscription is in place. */
  private record Subscribed(ActorRef<Command> counter)
      implements Command, NoSerializationVerificationNeeded {}

  public record Count(ActorRef<Counted> replyTo) implements Command, CborSerializable {}

  public record Counted(long dropped) implements CborSerializable {}

  public enum Stop implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  public static Behavior<Command> create(
      ActorRef<?> watched, Class<?> messageType, Runnable ready) {
    return Behaviors.setup(context -> new DropCounter(context, watched, messageType, ready));
  }

  private final org.apache.pekko.actor.ActorRef watched;
  private final Class<?> messageType;
  private final Runnable ready;
  private long dropped;

  private DropCounter(
      ActorContext<Command> context, ActorRef<?> watched, Class<?> messageType, Runnable ready) {
    super(context);
    this.watched = Adapter.toClassic(watched);
    this.messageType = messageType;
    this.ready = ready;
    var events = context.getSystem().eventStream();
    events.tell(
        new EventStream.Subscribe<>(
            DeadLetter.class, context.messageAdapter(DeadLetter.class, Dead::new)));
    events.tell(new EventStream.Subscribe<>(Subscribed.class, context.getSelf().narrow()));
    events.tell(new EventStream.Publish<>(new Subscribed(context.getSelf())));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Dead.class, this::onDead)
        .onMessage(Subscribed.class, this::onSubscribed)
        .onMessage(Count.class, this::onCount)
        .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
        .build();
  }

  private Behavior<Command> onDead(Dead dead) {
    if (dead.letter().recipient().equals(watched)
        && messageType.isInstance(dead.letter().message())) dropped++;
    return this;
  }

  private Behavior<Command> onSubscribed(Subscribed subscribed) {
    if (subscribed.counter().equals(getContext().getSelf())) ready.run();
    return this;
  }

  /**
   * A drop is published while its send fails, so a count asked after the producer has finished
   * sending includes every drop of those sends.
   */
  private Behavior<Command> onCount(Count count) {
    count.replyTo().tell(new Counted(dropped));
    return this;
  }
}
