package org.clusterpool.exercises.actors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.clusterpool.node.config.LayeredConfig;
import org.slf4j.LoggerFactory;

/**
 * The actor system of one run of a message-passing solution: started by the solution's {@code
 * open}, with clusterpool's embedded settings (the serializers of the messages that may cross
 * JVMs), and terminated by its {@code close} (with {@link #terminate}), so that no run inherits
 * another's actors or threads.
 *
 * <p>The client threads of the harness are not actors: they talk to the solution's actors with
 * {@link #ask}, which blocks the calling thread until the reply (and answers an interrupt, so a
 * stuck run can be stopped).
 */
public final class SolutionActorSystem {

  /**
   * Longer than any run's time limit: the harness stops a stuck run first; this only bounds a
   * forgotten wait.
   */
  static final Duration ASK_TIMEOUT = Duration.ofMinutes(2);

  private static final Duration TERMINATION_LIMIT = Duration.ofSeconds(10);

  private final ActorSystem<Void> system;

  private SolutionActorSystem(ActorSystem<Void> system) {
    this.system = system;
  }

  /** {@code name}: letters, digits and dashes, such as {@code counter-actor}. */
  public static SolutionActorSystem start(String name) {
    // SLF4J set up on this thread first: otherwise the new system's threads log while it
    // initialises, and it
    // prints a warning about replaying their calls
    LoggerFactory.getILoggerFactory();
    return new SolutionActorSystem(
        ActorSystem.create(Behaviors.empty(), name, LayeredConfig.load("embedded")));
  }

  /**
   * A top-level actor of the solution, started now: messages sent to it from here on are processed
   * in order.
   */
  public <T> ActorRef<T> spawn(Behavior<T> behavior, String name) {
    return system.systemActorOf(behavior, name, Props.empty());
  }

  /** Sends {@code message(replyTo)} to {@code target} and waits for the reply. */
  public <Q, A> A ask(RecipientRef<Q> target, Function<ActorRef<A>, Q> message)
      throws InterruptedException {
    return await(askAsync(target, message));
  }

  /** Sends {@code message(replyTo)} to {@code target}; the reply completes the stage. */
  public <Q, A> CompletionStage<A> askAsync(
      RecipientRef<Q> target, Function<ActorRef<A>, Q> message) {
    return AskPattern.ask(target, message::apply, ASK_TIMEOUT, system.scheduler());
  }

  /**
   * Sends {@code message(replyTo)} to every target at once, then waits for every reply: one round
   * trip, not one per target. The replies come in the targets' order.
   */
  public <Q, A> List<A> askAll(
      List<? extends RecipientRef<Q>> targets, Function<ActorRef<A>, Q> message)
      throws InterruptedException {
    List<CompletionStage<A>> replies = new ArrayList<>(targets.size());
    for (RecipientRef<Q> target : targets) replies.add(askAsync(target, message));
    List<A> answers = new ArrayList<>(replies.size());
    for (CompletionStage<A> reply : replies) answers.add(await(reply));
    return answers;
  }

  /** Waits for a reply; a missing reply is an error of the solution, not of the caller. */
  public static <A> A await(CompletionStage<A> reply) throws InterruptedException {
    try {
      // bounded here too: the ask's own timeout runs on the actor system's scheduler, which stops
      // with the system
      return reply.toCompletableFuture().get(ASK_TIMEOUT.toSeconds() + 1, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "no reply within " + ASK_TIMEOUT.toSeconds() + " s (was the actor system stopped?)", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof TimeoutException) {
        throw new IllegalStateException("no reply within " + ASK_TIMEOUT.toSeconds() + " s", cause);
      }
      throw new IllegalStateException("the ask failed: " + cause, cause);
    }
  }

  /** Stops every actor of the run and waits, at most 10 s, until the system's threads are gone. */
  public void terminate() {
    system.terminate();
    try {
      system
          .getWhenTerminated()
          .toCompletableFuture()
          .get(TERMINATION_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the actor system failed while terminating", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "the actor system did not terminate within " + TERMINATION_LIMIT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the actor system terminated", e);
    }
  }
}
