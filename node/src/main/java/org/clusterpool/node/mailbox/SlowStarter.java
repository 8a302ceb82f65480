package org.clusterpool.node.mailbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.clusterpool.node.wire.CborSerializable;

/**
 * An actor that needs time to initialise (here: {@code initialisation}, as if loading a model or
 * opening a connection) and keeps what arrives meanwhile in a stash, then handles it in order once
 * ready. Messages beyond the stash's capacity ({@code clusterpool.mailboxes.stash-capacity}) are
 * refused and counted, never kept without bound.
 */
public final class SlowStarter {
  private SlowStarter() {}

  public sealed interface Command permits Job, GetLog, Ready {}

  public record Job(String label) implements Command, CborSerializable {}

  public record GetLog(ActorRef<Log> replyTo) implements Command, CborSerializable {}

  /**
   * @param handled the jobs, in the order handled
   * @param stashed how many messages waited in the stash for the end of the initialisation
   * @param refused messages that came while the stash was full
   * @param readyAfterMillis how long the initialisation took
   */
  public record Log(List<String> handled, int stashed, int refused, long readyAfterMillis)
      implements CborSerializable {}

  private enum Ready implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  public static Behavior<Command> create(Duration initialisation, int stashCapacity) {
    return Behaviors.withStash(
        stashCapacity,
        stash ->
            Behaviors.setup(
                context -> {
                  context.scheduleOnce(initialisation, context.getSelf(), Ready.INSTANCE);
                  return new Starting(context, stash, System.nanoTime()).behavior();
                }));
  }

  /** The state while initialising; {@link #ready} is the behaviour afterwards. */
  private static final class Starting {
    private final ActorContext<Command> context;
    private final StashBuffer<Command> stash;
    private final long startNanos;
    private final List<String> handled = new ArrayList<>();
    private int stashed;
    private int refused;
    private long readyAfterMillis;

    Starting(ActorContext<Command> context, StashBuffer<Command> stash, long startNanos) {
      this.context = context;
      this.stash = stash;
      this.startNanos = startNanos;
    }

    Behavior<Command> behavior() {
      return Behaviors.receive(Command.class)
          .onMessageEquals(
              Ready.INSTANCE,
              () -> {
                readyAfterMillis = (System.nanoTime() - startNanos) / 1_000_000;
                return stash.unstashAll(ready());
              })
          .onAnyMessage(
              message -> {
                if (stash.isFull()) {
                  refused++;
                  context
                      .getLog()
                      .warn("stash full ({} messages): {} refused", stash.capacity(), message);
                } else {
                  stash.stash(message);
                  stashed++;
                }
                return Behaviors.same();
              })
          .build();
    }

    private Behavior<Command> ready() {
      return Behaviors.receive(Command.class)
          .onMessage(
              Job.class,
              job -> {
                handled.add(job.label());
                return Behaviors.same();
              })
          .onMessage(
              GetLog.class,
              get -> {
                get.replyTo()
                    .tell(new Log(List.copyOf(handled), stashed, refused, readyAfterMillis));
                return Behaviors.same();
              })
          .build();
    }
  }
}
