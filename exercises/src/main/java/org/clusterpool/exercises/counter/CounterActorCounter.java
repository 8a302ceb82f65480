package org.clusterpool.exercises.counter;

import org.apache.pekko.actor.typed.ActorRef;
import org.clusterpool.exercises.actors.SolutionActorSystem;

/**
 * One counter actor: every increment is a message to it. The workers never wait (a tell returns at
 * once), but the one actor makes every increment on one thread, and the total waits until its
 * mailbox is drained.
 */
final class CounterActorCounter implements Counter {
  private SolutionActorSystem system;
  private ActorRef<CounterActor.Command> counter;

  @Override
  public void open(int workers) {
    system = SolutionActorSystem.start("counter-actor");
    counter = system.spawn(CounterActor.create(), "counter");
  }

  @Override
  public void increment(int worker) {
    counter.tell(CounterActor.Increment.INSTANCE);
  }

  @Override
  public long total() throws InterruptedException {
    // asked after every increment was sent: the mailbox is in order, so the reply counts them all
    return system
        .<CounterActor.Command, CounterActor.Count>ask(counter, CounterActor.GetCount::new)
        .value();
  }

  @Override
  public void close() {
    if (system != null) system.terminate();
  }
}
