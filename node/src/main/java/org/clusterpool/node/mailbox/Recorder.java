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
 * Writes down the jobs it handles, in the order it handles them: which is the order its mailbox gives them. A job
 * may keep it busy a while, so that the next ones pile up in the mailbox meanwhile.
 */
public final class Recorder extends AbstractBehavior<Recorder.Command> {

  public sealed interface Command permits Job, UrgentJob, GetLog {}

  public record Job(String label, long busyMillis) implements Command, CborSerializable {}

  /** Overtakes the ordinary jobs waiting in a priority mailbox. */
  public record UrgentJob(String label) implements Command, Urgent, CborSerializable {}

  /** An ordinary message: answered after every message that came in before it (and every urgent one). */
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
        .onMessage(Job.class, job -> {
          if (job.busyMillis() > 0) LockSupport.parkNanos(job.busyMillis() * 1_000_000);
          handled.add(job.label());
          return this;
        })
        .onMessage(UrgentJob.class, job -> {
          handled.add(job.label());
          return this;
        })
        .onMessage(GetLog.class, get -> {
          get.replyTo().tell(new Log(List.copyOf(handled)));
          return this;
        })
        .build();
  }
}
