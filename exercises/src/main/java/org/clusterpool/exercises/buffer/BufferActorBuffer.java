package org.clusterpool.exercises.buffer;

import org.apache.pekko.actor.typed.ActorRef;
import org.clusterpool.exercises.actors.SolutionActorSystem;

/**
 * The buffer is an actor; a put and a take are each a question to it, answered when there is room
 * or an item.
 */
final class BufferActorBuffer implements BoundedBuffer {
  private SolutionActorSystem system;
  private ActorRef<BufferActor.Command> buffer;

  @Override
  public void open(int capacity) {
    system = SolutionActorSystem.start("buffer-actor");
    buffer = system.spawn(BufferActor.create(capacity), "buffer");
  }

  @Override
  public void put(long item) throws InterruptedException {
    system.<BufferActor.Command, BufferActor.Accepted>ask(
        buffer, replyTo -> new BufferActor.Put(item, replyTo));
  }

  @Override
  public long take() throws InterruptedException {
    return system.<BufferActor.Command, BufferActor.Item>ask(buffer, BufferActor.Take::new).value();
  }

  @Override
  public void close() {
    if (system != null) system.terminate();
  }
}
