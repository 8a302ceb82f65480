package org.clusterpool.exercises.buffer;

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
 * A bounded buffer as an actor: it holds at most {@code capacity} items, and demand drives the
 * flow. A producer's {@link Put} is accepted at once if there is room; otherwise its answer is held
 * back until a consumer makes room, and the producer, waiting for that answer, sends nothing more:
 * backpressure. A {@link Take} with nothing to take waits the same way for the next item. Memory
 * stays bounded: the items, plus at most one waiting put per producer and one waiting take per
 * consumer.
 */
final class BufferActor extends AbstractBehavior<BufferActor.Command> {

  sealed interface Command permits Put, Take {}

  record Put(long item, ActorRef<Accepted> replyTo) implements Command, CborSerializable {}

  /** The item is in the buffer (or already with a consumer): the producer may go on. */
  enum Accepted implements CborSerializable {
    INSTANCE
  }

  record Take(ActorRef<Item> replyTo) implements Command, CborSerializable {}

  record Item(long value) implements CborSerializable {}

  static Behavior<Command> create(int capacity) {
    return Behaviors.setup(context -> new BufferActor(context, capacity));
  }

  private final int capacity;
  private final Deque<Long> items = new ArrayDeque<>();
  private final Deque<Put> waitingPuts = new ArrayDeque<>();
  private final Deque<ActorRef<Item>> waitingTakes = new ArrayDeque<>();

  private BufferActor(ActorContext<Command> context, int capacity) {
    super(context);
    this.capacity = capacity;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Put.class, this::onPut)
        .onMessage(Take.class, this::onTake)
        .build();
  }

  private Behavior<Command> onPut(Put put) {
    if (!waitingTakes.isEmpty()) {
      // a consumer is already waiting: straight to it, the buffer is empty and stays so
      waitingTakes.poll().tell(new Item(put.item()));
      put.replyTo().tell(Accepted.INSTANCE);
    } else if (items.size() < capacity) {
      items.add(put.item());
      put.replyTo().tell(Accepted.INSTANCE);
    } else {
      waitingPuts.add(put);
    }
    return this;
  }

  private Behavior<Command> onTake(Take take) {
    if (items.isEmpty()) {
      waitingTakes.add(take.replyTo());
      return this;
    }
    take.replyTo().tell(new Item(items.poll()));
    Put waiting = waitingPuts.poll();
    if (waiting != null) {
      items.add(waiting.item());
      waiting.replyTo().tell(Accepted.INSTANCE);
    }
    return this;
  }
}
