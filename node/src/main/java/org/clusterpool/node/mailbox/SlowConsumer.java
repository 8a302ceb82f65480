package org.clusterpool.node.mailbox;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.clusterpool.node.wire.CborSerializable;

/**
 * An actor slower than its producer: each {@link Work} message takes it {@code work} (it sleeps, on
 * a thread of the blocking dispatcher). Behind a bounded mailbox, what does not fit is dropped,
 * unless it pulls its work: told {@link PullFrom}, it asks its producer for no more messages than
 * its mailbox has room for, and more only as it gets through them.
 */
public final class SlowConsumer extends AbstractBehavior<SlowConsumer.Command> {

  /** How a producer on another node finds the consumer named {@code name}. */
  public static ServiceKey<Command> serviceKey(String name) {
    return ServiceKey.create(Command.class, "clusterpool-mailbox-" + name);
  }

  public sealed interface Command permits Work, PullFrom, Finish {}

  public record Work(long seq) implements Command, CborSerializable {}

  /** Pull the work from {@code producer} instead of taking what comes. */
  public record PullFrom(ActorRef<FastProducer.Command> producer)
      implements Command, CborSerializable {}

  /**
   * The producer is done: report and stop. Sent again until it gets through, since a full mailbox
   * drops it too.
   */
  public enum Finish implements Command, CborSerializable {
    INSTANCE
  }

  /**
   * {@code finished} completes with the number of messages processed, once {@link Finish} arrives.
   */
  public static Behavior<Command> create(
      Duration work, int capacity, CompletableFuture<Long> finished) {
    return Behaviors.setup(context -> new SlowConsumer(context, work, capacity, finished));
  }

  private final long workNanos;
  private final int capacity;
  private final CompletableFuture<Long> finished;
  private ActorRef<FastProducer.Command> producer;

  /** Messages asked of the producer and not yet here. */
  private long asked;

  private long processed;

  private SlowConsumer(
      ActorContext<Command> context,
      Duration work,
      int capacity,
      CompletableFuture<Long> finished) {
    super(context);
    this.workNanos = work.toNanos();
    this.capacity = capacity;
    this.finished = finished;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Work.class, this::onWork)
        .onMessage(PullFrom.class, this::onPullFrom)
        .onMessageEquals(Finish.INSTANCE, this::onFinish)
        .build();
  }

  private Behavior<Command> onPullFrom(PullFrom pull) {
    producer = pull.producer();
    askForMore();
    return this;
  }

  private Behavior<Command> onWork(Work work) {
    if (workNanos > 0) LockSupport.parkNanos(workNanos);
    processed++;
    if (producer != null) {
      asked--;
      askForMore();
    }
    return this;
  }

  /**
   * Asks for the room the mailbox has, in batches of half of it, so that demand does not cost a
   * message per message.
   */
  private void askForMore() {
    long room = capacity - asked;
    if (room >= Math.max(1, capacity / 2)) {
      asked += room;
      producer.tell(new FastProducer.Demand(room));
    }
  }

  private Behavior<Command> onFinish() {
    finished.complete(processed);
    return Behaviors.stopped();
  }
}
