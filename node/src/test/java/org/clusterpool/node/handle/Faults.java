package org.clusterpool.node.handle;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The faults Artery can cause between two live members, placed where a test wants them: chosen
 * messages on their way into an actor are lost, or come twice (the second copy after whatever is in
 * the mailbox by then). Rules are added while the actors run; each counts what it did, so that a
 * test proves its fault happened.
 */
public final class Faults {

  private static final class Rule {
    final Predicate<Object> which;
    final boolean drop;
    int left;
    int done;

    Rule(Predicate<Object> which, boolean drop, int times) {
      this.which = which;
      this.drop = drop;
      this.left = times;
    }
  }

  private final List<Rule> rules = new ArrayList<>();

  /**
   * Second copies on their way: they pass untouched. Kept by equality, not identity: with
   * serialize-messages on, a message told again arrives as a copy.
   */
  private final List<Object> repeats = new ArrayList<>();

  /** The next {@code times} messages that match are lost. */
  public synchronized Faults drop(Predicate<Object> which, int times) {
    rules.add(new Rule(which, true, times));
    return this;
  }

  /** The next {@code times} messages that match arrive twice. */
  public synchronized Faults repeat(Predicate<Object> which, int times) {
    rules.add(new Rule(which, false, times));
    return this;
  }

  /** Every later message that matches is lost. */
  public Faults dropAll(Predicate<Object> which) {
    return drop(which, Integer.MAX_VALUE);
  }

  /** Every later message that matches arrives twice. */
  public Faults repeatAll(Predicate<Object> which) {
    return repeat(which, Integer.MAX_VALUE);
  }

  public synchronized int dropped() {
    return rules.stream().filter(r -> r.drop).mapToInt(r -> r.done).sum();
  }

  public synchronized int repeated() {
    return rules.stream().filter(r -> !r.drop).mapToInt(r -> r.done).sum();
  }

  /** How many copies of {@code message} go on: 0 (lost), 1, or 2 (repeated). */
  public synchronized int copies(Object message) {
    if (repeats.remove(message)) return 1;
    for (Rule rule : rules) {
      if (rule.left > 0 && rule.which.test(message)) {
        rule.left--;
        rule.done++;
        if (rule.drop) return 0;
        repeats.add(message);
        return 2;
      }
    }
    return 1;
  }

  /** {@code behavior}, with these faults on every message sent to it. */
  public <T> Behavior<T> around(Class<T> type, Behavior<T> behavior) {
    return Behaviors.intercept(
        () ->
            new BehaviorInterceptor<T, T>(type) {
              @Override
              public Behavior<T> aroundReceive(
                  TypedActorContext<T> ctx, T message, ReceiveTarget<T> target) {
                int copies = copies(message);
                if (copies == 0) return Behaviors.same();
                if (copies == 2) ctx.asJava().getSelf().tell(message);
                return target.apply(ctx, message);
              }
            },
        behavior);
  }
}
