package org.clusterpool.node.mailbox;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.clusterpool.node.wire.CborSerializable;

/**
 * An actor slower than its producer: each {@link Work} message takes it {@code work} (it sleeps, on
 * a thread of the blocking dispatcher). Behind a bounded mailbox, what does not fit is dropped,
 * unless it pulls its work: told {@link PullFrom}, it asks its producer for no more messages than
 * its mailbox has room for, and more only as it gets through them.
 *
 * <p>It waits for its producer for a bounded time only: when nothing reaches it for {@code
 * giveUpAfter} (no producer came, or the one that came went away without {@link Finish}), it fails
 * {@code finished} with {@link ProducerGone}, which says which, and stops.
 */
public final class SlowConsumer extends AbstractBehavior<SlowConsumer.Command> {

  /** How a producer on another node finds the consumer named {@code name}. */
  public static ServiceKey<Command> serviceKey(String name) {
    return ServiceKey.create(Command.class, "clusterpool-mailbox-" + name);
  }

  public sealed interface Command permits Work, PullFrom, Finish, Idle {}

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

  /** Nothing reached the consumer for {@code giveUpAfter}: time to give up on its producer. */
  private enum Idle implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  /** The consumer gave up on its producer: none came, or the one that came fell silent. */
  public static final class ProducerGone extends IllegalStateException {
    public ProducerGone(String message) {
      super(message);
    }
  }

  /**
   * {@code finished} completes with the number of messages processed, once {@link Finish} arrives;
   * or fails with {@link ProducerGone} once nothing has come for {@code giveUpAfter} ({@code
   * setting}: where that bound comes from, for the message).
   */
  public static Behavior<Command> create(
      Duration work,
      int capacity,
      Duration giveUpAfter,
      String setting,
      CompletableFuture<Long> finished) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    new SlowConsumer(
                        context, timers, work, capacity, giveUpAfter, setting, finished)));
  }

  private final long workNanos;
  private final int capacity;
  private final CompletableFuture<Long> finished;
  private final TimerScheduler<Command> timers;
  private final Duration giveUpAfter;
  private final String setting;
  private ActorRef<FastProducer.Command> producer;

  /** Whether anything (work, a producer to pull from) came yet. */
  private boolean heard;

  /** Messages asked of the producer and not yet here. */
  private long asked;

  private long processed;

  private SlowConsumer(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      Duration work,
      int capacity,
      Duration giveUpAfter,
      String setting,
      CompletableFuture<Long> finished) {
    super(context);
    this.workNanos = work.toNanos();
    this.capacity = capacity;
    this.finished = finished;
    this.timers = timers;
    this.giveUpAfter = giveUpAfter;
    this.setting = setting;
    timers.startSingleTimer(Idle.INSTANCE, giveUpAfter);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Work.class, this::onWork)
        .onMessage(PullFrom.class, this::onPullFrom)
        .onMessageEquals(Finish.INSTANCE, this::onFinish)
        .onMessageEquals(Idle.INSTANCE, this::onIdle)
        .build();
  }

  private Behavior<Command> onPullFrom(PullFrom pull) {
    heard();
    producer = pull.producer();
    askForMore();
    return this;
  }

  private Behavior<Command> onWork(Work work) {
    if (workNanos > 0) LockSupport.parkNanos(workNanos);
    processed++;
    heard();
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

  /**
   * Something came: the bound starts again (a message taken later than its timer's, in a full
   * mailbox, is no trouble: the timer is started again after every message).
   */
  private void heard() {
    heard = true;
    timers.startSingleTimer(Idle.INSTANCE, giveUpAfter);
  }

  private Behavior<Command> onIdle() {
    String within =
        giveUpAfter.toMillis() % 1000 == 0
            ? giveUpAfter.toSeconds() + " s"
            : giveUpAfter.toMillis() + " ms";
    finished.completeExceptionally(
        new ProducerGone(
            heard
                ? "its producer sent nothing more for "
                    + within
                    + " after "
                    + processed
                    + " messages, and no Finish ("
                    + setting
                    + ")"
                : "no producer sent it anything within " + within + " (" + setting + ")"));
    return Behaviors.stopped();
  }

  private Behavior<Command> onFinish() {
    finished.complete(processed);
    return Behaviors.stopped();
  }
}
