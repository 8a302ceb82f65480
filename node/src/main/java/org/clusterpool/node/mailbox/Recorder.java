package org.clusterpool.node.mailbox;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.clusterpool.node.wire.CborSerializable;

/**
 * Writes down the jobs it handles, in the order it handles them: which is the order its mailbox
 * gives them. While it is {@link Busy}, the next messages pile up in its mailbox.
 */
public final class Recorder extends AbstractBehavior<Recorder.Command> {

  public sealed interface Command permits Busy, Job, UrgentJob, GetLog {}

  /**
   * Keeps the actor busy for {@code millis}; {@code replyTo} hears when it starts, so that what is
   * sent next piles up.
   */
  public record Busy(long millis, ActorRef<Started> replyTo) implements Command, CborSerializable {}

  public enum Started implements CborSerializable {
    INSTANCE
  }

  public record Job(String label) implements Command, CborSerializable {}

  /** Overtakes the ordinary jobs waiting in a priority mailbox. */
  public record UrgentJob(String label) implements Command, Urgent, CborSerializable {}

  /**
   * An ordinary message: answered after every message that came in before it (and every urgent
   * one).
   */
  public record GetLog(ActorRef<Log> replyTo) implements Command, CborSerializable {}

  public record Log(List<String> handled) implements CborSerializable {}

  public static Behavior<Command> create() {
    return Behaviors.setup(Recorder::new);
  }

  private final List<String> handled = new ArrayList<>();

  private Recorder(ActorContext<Command> context) {
    super(context);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(
            Busy.class,
            busy -> {
              busy.replyTo().tell(Started.INSTANCE);
              LockSupport.parkNanos(busy.millis() * 1_000_000);
              handled.add("busy");
              return this;
            })
        .onMessage(
            Job.class,
            job -> {
              handled.add(job.label());
              return this;
            })
        .onMessage(
            UrgentJob.class,
            job -> {
              handled.add(job.label());
              return this;
            })
        .onMessage(
            GetLog.class,
            get -> {
              get.replyTo().tell(new Log(List.copyOf(handled)));
              return this;
            })
        .build();
  }
}
