package org.clusterpool.node.handle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.clusterpool.node.pipe.PipeEnd;
import org.clusterpool.node.pipe.PipeStats;
import org.clusterpool.node.queue.QueueActor;
import org.clusterpool.node.queue.QueueStats;

/**
 * Every queue and every pipe end of the cluster, with what each holds: what a dashboard lists. Each
 * registers under a cluster-wide key besides its own ({@link QueueActor#ALL}, {@link PipeEnd#ALL});
 * one look-up finds them, and each is asked in parallel. Nothing waits past the timeout: one that
 * does not answer by then (its node is slow, or it just stopped) is left out and counted, and the
 * receptionist's own answer is bounded by the same timeout.
 *
 * <p>The listing is the receptionist's: in a cluster, each member's replica of it learns of a queue
 * or end made a moment ago (here or on another member) after a short while, and of one that stopped
 * likewise.
 */
public final class Inventory {
  private Inventory() {}

  /**
   * The most actors one inventory asks: a cluster with more lists these and counts the rest as
   * {@code omitted}.
   */
  public static final int MAX_ASKED = 1000;

  /**
   * What answered in time, in order of name (then end, for pipes); {@code silent}: found but
   * without an answer within the timeout; {@code omitted}: found beyond {@link #MAX_ASKED}, not
   * asked.
   */
  public record Found<T>(List<T> answered, int silent, int omitted) {}

  public static CompletionStage<Found<QueueStats>> queues(ActorSystem<?> system, Duration timeout) {
    return queues(system, timeout, address -> false);
  }

  /**
   * As {@link #queues(ActorSystem, Duration)}, without asking those on a member {@code skip} names
   * (counted silent).
   */
  public static CompletionStage<Found<QueueStats>> queues(
      ActorSystem<?> system, Duration timeout, Predicate<Address> skip) {
    return inspect(
        system,
        timeout,
        QueueActor.ALL,
        QueueActor.Inspect::new,
        Comparator.comparing((QueueStats q) -> q.info().name()).thenComparing(QueueStats::node),
        skip);
  }

  public static CompletionStage<Found<PipeStats>> pipes(ActorSystem<?> system, Duration timeout) {
    return pipes(system, timeout, address -> false);
  }

  /**
   * As {@link #pipes(ActorSystem, Duration)}, without asking those on a member {@code skip} names
   * (counted silent).
   */
  public static CompletionStage<Found<PipeStats>> pipes(
      ActorSystem<?> system, Duration timeout, Predicate<Address> skip) {
    return inspect(
        system,
        timeout,
        PipeEnd.ALL,
        PipeEnd.Inspect::new,
        Comparator.comparing(PipeStats::name)
            .thenComparing(PipeStats::end)
            .thenComparing(PipeStats::node),
        skip);
  }

  private static <C, S> CompletionStage<Found<S>> inspect(
      ActorSystem<?> system,
      Duration timeout,
      ServiceKey<C> key,
      Function<ActorRef<S>, C> inspect,
      Comparator<S> order,
      Predicate<Address> skip) {
    if (timeout.compareTo(Waits.LONGEST) > 0) timeout = Waits.LONGEST; // what the scheduler takes
    long deadline = System.nanoTime() + timeout.toNanos();
    return AskPattern.<Receptionist.Command, Receptionist.Listing>ask(
            system.receptionist(),
            replyTo -> Receptionist.find(key, replyTo),
            timeout,
            system.scheduler())
        .thenCompose(
            listing -> {
              Set<ActorRef<C>> found = listing.getServiceInstances(key);
              // what is left of the timeout, and at least a moment: a listing that came late still
              // gets its asks sent
              Duration left = Duration.ofNanos(Math.max(1_000_000L, deadline - System.nanoTime()));
              List<CompletableFuture<S>> asks = new ArrayList<>();
              for (ActorRef<C> actor : found) {
                if (asks.size() == MAX_ASKED) break;
                if (skip.test(
                    actor
                        .path()
                        .address())) { // it could not answer before the timeout: not waited for
                  asks.add(CompletableFuture.completedFuture(null));
                  continue;
                }
                asks.add(
                    AskPattern.<C, S>ask(actor, inspect::apply, left, system.scheduler())
                        .toCompletableFuture()
                        .exceptionally(timedOut -> null));
              }
              int omitted = found.size() - asks.size();
              return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
                  .thenApply(
                      all -> {
                        List<S> answered = new ArrayList<>(asks.size());
                        for (CompletableFuture<S> ask : asks) {
                          S stats = ask.join();
                          if (stats != null) answered.add(stats);
                        }
                        answered.sort(order);
                        return new Found<>(
                            List.copyOf(answered), asks.size() - answered.size(), omitted);
                      });
            });
  }
}
