package org.clusterpool.exercises.counter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.clusterpool.node.wire.CborSerializable;

/**
 * The "sum" of map-then-sum: adds up one partial count from each worker, and answers the total once
 * every worker has reported (a question that comes earlier waits for the last partial).
 */
final class SumActor extends AbstractBehavior<SumActor.Command> {

  sealed interface Command permits Partial, GetTotal {}

  /** A worker's whole count, sent once, when it is done: the only message that worker sends. */
  record Partial(int worker, long count) implements Command, CborSerializable {}

  record GetTotal(ActorRef<Total> replyTo) implements Command, CborSerializable {}

  record Total(long value) implements CborSerializable {}

  static Behavior<Command> create(int workers) {
    return Behaviors.setup(context -> new SumActor(context, workers));
  }

  private final int workers;
  private final Set<Integer> reported = new HashSet<>();
  private final List<ActorRef<Total>> waiting = new ArrayList<>();
  private long sum;

  private SumActor(ActorContext<Command> context, int workers) {
    super(context);
    this.workers = workers;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Partial.class, this::onPartial)
        .onMessage(GetTotal.class, this::onGetTotal)
        .build();
  }

  private Behavior<Command> onPartial(Partial partial) {
    if (!reported.add(partial.worker())) {
      getContext()
          .getLog()
          .warn("worker {} reported twice; its second count is ignored", partial.worker());
      return this;
    }
    sum += partial.count();
    if (reported.size() == workers) {
      for (ActorRef<Total> replyTo : waiting) replyTo.tell(new Total(sum));
      waiting.clear();
    }
    return this;
  }

  private Behavior<Command> onGetTotal(GetTotal message) {
    if (reported.size() == workers) message.replyTo().tell(new Total(sum));
    else waiting.add(message.replyTo());
    return this;
  }
}
