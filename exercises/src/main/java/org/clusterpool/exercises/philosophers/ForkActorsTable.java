package org.clusterpool.exercises.philosophers;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.clusterpool.exercises.actors.SolutionActorSystem;

/**
 * Every fork an actor: a philosopher asks for its lower-numbered fork, then the other, eats, and
 * puts both back.
 */
final class ForkActorsTable implements DiningTable {
  private SolutionActorSystem system;
  private List<ActorRef<Fork.Command>> forks;

  @Override
  public void open(int philosophers) {
    system = SolutionActorSystem.start("fork-actors");
    forks = new ArrayList<>(philosophers);
    for (int f = 0; f < philosophers; f++) forks.add(system.spawn(Fork.create(), "fork-" + f));
  }

  @Override
  public void dine(int philosopher, Runnable meal) throws InterruptedException {
    int left = PhilosophersParameters.leftFork(philosopher);
    int right = PhilosophersParameters.rightFork(philosopher, forks.size());
    ActorRef<Fork.Command> first = forks.get(Math.min(left, right));
    ActorRef<Fork.Command> second = forks.get(Math.max(left, right));
    take(first, philosopher);
    try {
      take(second, philosopher);
      try {
        meal.run();
      } finally {
        second.tell(new Fork.Put(philosopher));
      }
    } finally {
      first.tell(new Fork.Put(philosopher));
    }
  }

  private void take(ActorRef<Fork.Command> fork, int philosopher) throws InterruptedException {
    system.<Fork.Command, Fork.Taken>ask(fork, replyTo -> new Fork.Take(philosopher, replyTo));
  }

  @Override
  public void close() {
    if (system != null) system.terminate();
  }
}
