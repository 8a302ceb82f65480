package org.clusterpool.exercises.philosophers;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.clusterpool.node.wire.CborSerializable;

/**
 * The waiter owns every fork. A philosopher asks it for both forks at once and gets them both or
 * waits; no philosopher ever holds one fork while waiting for the other, so no cycle of waits can
 * form. Requests are served in arrival order, and a waiting philosopher keeps its claim: a later
 * neighbour cannot take a fork it waits for, so nobody starves.
 */
final class Waiter extends AbstractBehavior<Waiter.Command> {

  sealed interface Command permits RequestForks, ReturnForks {}

  record RequestForks(int philosopher, ActorRef<ForksGranted> replyTo)
      implements Command, CborSerializable {}

  /** Both forks are yours: eat, then return them. */
  enum ForksGranted implements CborSerializable {
    INSTANCE
  }

  record ReturnForks(int philosopher) implements Command, CborSerializable {}

  static Behavior<Command> create(int philosophers) {
    return Behaviors.setup(context -> new Waiter(context, philosophers));
  }

  private final int philosophers;
  private final boolean[] inUse;
  private final Deque<RequestForks> waiting = new ArrayDeque<>();

  private Waiter(ActorContext<Command> context, int philosophers) {
    super(context);
    this.philosophers = philosophers;
    this.inUse = new boolean[philosophers];
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(RequestForks.class, this::onRequestForks)
        .onMessage(ReturnForks.class, this::onReturnForks)
        .build();
  }

  private Behavior<Command> onRequestForks(RequestForks request) {
    waiting.add(request);
    serve();
    return this;
  }

  private Behavior<Command> onReturnForks(ReturnForks returned) {
    inUse[left(returned.philosopher())] = false;
    inUse[right(returned.philosopher())] = false;
    serve();
    return this;
  }

  /**
   * Seats every waiting philosopher whose forks are free and not claimed by one who has waited
   * longer.
   */
  private void serve() {
    boolean[] claimed = new boolean[philosophers];
    for (Iterator<RequestForks> it = waiting.iterator(); it.hasNext(); ) {
      RequestForks request = it.next();
      int left = left(request.philosopher());
      int right = right(request.philosopher());
      if (!inUse[left] && !inUse[right] && !claimed[left] && !claimed[right]) {
        inUse[left] = true;
        inUse[right] = true;
        it.remove();
        request.replyTo().tell(ForksGranted.INSTANCE);
      } else {
        claimed[left] = true;
        claimed[right] = true;
      }
    }
  }

  private int left(int philosopher) {
    return PhilosophersParameters.leftFork(philosopher);
  }

  private int right(int philosopher) {
    return PhilosophersParameters.rightFork(philosopher, philosophers);
  }
}
