package org.clusterpool.coordinator.scheduler;

import java.time.Duration;
import java.util.function.Supplier;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.clusterpool.node.protocol.CoordinatorProtocol.Command;

/**
 * Keeps a {@link Coordinator} running: it is what the Cluster Singleton (or the embedded pool)
 * starts, and it passes the clients' messages on to the current coordinator. A coordinator that
 * fails all the same (a bug, not a message: messages are checked) is replaced by a new incarnation
 * under a new name, after a pause that grows if it keeps failing. The new one registers with the
 * receptionist, so workers and clients see a new coordinator, exactly as after a failover: workers
 * report what they hold, clients send their unfinished chunks again.
 */
public final class CoordinatorGuardian {
  private CoordinatorGuardian() {}

  private enum Restart implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  /**
   * Stops the coordinator and its guardian, as the Cluster Singleton does to hand it over to
   * another member.
   */
  private enum Stop implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  /**
   * Messages kept while no coordinator runs; beyond, they are dropped (clients check their jobs and
   * send again).
   */
  private static final int STASH = 10_000;

  private static final Duration FIRST_PAUSE = Duration.ofMillis(200);
  private static final Duration LONGEST_PAUSE = Duration.ofSeconds(10);

  /** A coordinator that ran this long without failing resets the pause. */
  private static final Duration STABLE = Duration.ofSeconds(60);

  public static Command stopMessage() {
    return Stop.INSTANCE;
  }

  public static Behavior<Command> create(CoordinatorSettings settings) {
    return create(() -> Coordinator.create(settings));
  }

  /** A guardian of the coordinators {@code incarnation} makes, one at a time. */
  static Behavior<Command> create(Supplier<Behavior<Command>> incarnation) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    Behaviors.withStash(
                        STASH, stash -> new State(context, timers, stash, incarnation).start())));
  }

  private static final class State {
    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final StashBuffer<Command> stash;
    private final Supplier<Behavior<Command>> incarnation;
    private int incarnations;
    private long startedNanos;
    private Duration pause = FIRST_PAUSE;

    State(
        ActorContext<Command> context,
        TimerScheduler<Command> timers,
        StashBuffer<Command> stash,
        Supplier<Behavior<Command>> incarnation) {
      this.context = context;
      this.timers = timers;
      this.stash = stash;
      this.incarnation = incarnation;
    }

    Behavior<Command> start() {
      ActorRef<Command> coordinator =
          context.spawn(incarnation.get(), "coordinator-" + (++incarnations));
      context.watch(coordinator);
      startedNanos = System.nanoTime();
      return stash.unstashAll(running(coordinator));
    }

    private Behavior<Command> running(ActorRef<Command> coordinator) {
      return Behaviors.receive(Command.class)
          .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
          .onSignal(Terminated.class, terminated -> onCoordinatorGone(terminated))
          .onMessage(
              Command.class,
              message -> {
                coordinator.tell(message);
                return Behaviors.same();
              })
          .build();
    }

    private Behavior<Command> onCoordinatorGone(Terminated terminated) {
      if (System.nanoTime() - startedNanos > STABLE.toNanos()) pause = FIRST_PAUSE;
      String cause =
          terminated instanceof ChildFailed failed
              ? String.valueOf(failed.getCause())
              : "it stopped";
      context
          .getLog()
          .error(
              "the coordinator {} failed ({}): a new one starts in {} ms; its clients send their"
                  + " jobs again",
              terminated.getRef().path().name(),
              cause,
              pause.toMillis());
      timers.startSingleTimer(Restart.INSTANCE, pause);
      Duration next = pause.multipliedBy(2);
      pause = next.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : next;
      return waiting();
    }

    private Behavior<Command> waiting() {
      return Behaviors.receive(Command.class)
          .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
          .onMessageEquals(Restart.INSTANCE, this::start)
          .onMessage(
              Command.class,
              message -> {
                if (stash.isFull()) {
                  context
                      .getLog()
                      .warn(
                          "no coordinator runs and {} messages wait: dropping {}",
                          STASH,
                          message.getClass().getSimpleName());
                } else {
                  stash.stash(message);
                }
                return Behaviors.same();
              })
          .build();
    }
  }
}
