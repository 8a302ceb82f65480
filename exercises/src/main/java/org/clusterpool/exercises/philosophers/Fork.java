package org.clusterpool.exercises.philosophers;

import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.clusterpool.node.wire.CborSerializable;

/**
 * One fork, an actor: it goes to one philosopher at a time, and the others who ask wait in line for
 * it. Nothing here prevents a deadlock: if every philosopher asked for its left fork first, each
 * would wait for a reply that never comes. The table asks for the lower-numbered fork first, as
 * with locks.
 */
final class Fork extends AbstractBehavior<Fork.Command> {

  sealed interface Command permits Take, Put {}

  record Take(int philosopher, ActorRef<Taken> replyTo) implements Command, CborSerializable {}

  /** The fork is yours until you put it back. */
  enum Taken implements CborSerializable {
    INSTANCE
  }

  record Put(int philosopher) implements Command, CborSerializable {}

  private static final int NOBODY = -1;

  static Behavior<Command> create() {
    return Behaviors.setup(Fork::new);
  }

  private int holder = NOBODY;
  private final Deque<Take> line = new ArrayDeque<>();

  private Fork(ActorContext<Command> context) {
    super(context);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Take.class, this::onTake)
        .onMessage(Put.class, this::onPut)
        .build();
  }

  private Behavior<Command> onTake(Take take) {
    if (holder == NOBODY) give(take);
    else line.add(take);
    return this;
  }

  private Behavior<Command> onPut(Put put) {
    if (put.philosopher() != holder) {
      getContext()
          .getLog()
          .warn("philosopher {} put back a fork held by {}", put.philosopher(), holder);
      return this;
    }
    holder = NOBODY;
    Take next = line.poll();
    if (next != null) give(next);
    return this;
  }

  private void give(Take take) {
    holder = take.philosopher();
    take.replyTo().tell(Taken.INSTANCE);
  }
}
