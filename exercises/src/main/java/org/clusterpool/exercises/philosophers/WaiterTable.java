package org.clusterpool.exercises.philosophers;

import org.apache.pekko.actor.typed.ActorRef;
import org.clusterpool.exercises.actors.SolutionActorSystem;

/**
 * A waiter actor hands out both forks at once: one round trip before each meal, one message after.
 */
final class WaiterTable implements DiningTable {
  private SolutionActorSystem system;
  private ActorRef<Waiter.Command> waiter;

  @Override
  public void open(int philosophers) {
    system = SolutionActorSystem.start("waiter-actor");
    waiter = system.spawn(Waiter.create(philosophers), "waiter");
  }

  @Override
  public void dine(int philosopher, Runnable meal) throws InterruptedException {
    system.<Waiter.Command, Waiter.ForksGranted>ask(
        waiter, replyTo -> new Waiter.RequestForks(philosopher, replyTo));
    try {
      meal.run();
    } finally {
      waiter.tell(new Waiter.ReturnForks(philosopher));
    }
  }

  @Override
  public void close() {
    if (system != null) system.terminate();
  }
}
