package org.clusterpool.exercises.counter;

import org.apache.pekko.actor.typed.ActorRef;
import org.clusterpool.exercises.actors.SolutionActorSystem;

/**
 * Map then sum, as {@code sum(Pool(n).map(count, shares))}: each worker counts in memory of its
 * own, that no other thread reads or writes, so it needs no lock; when done it sends its count in
 * one message to a sum actor. One message per worker in all, whatever the number of increments.
 */
final class PerWorkerSumCounter implements Counter {

  /**
   * One worker's count. Made by the worker's own thread, so tallies of two workers never share a
   * cache line.
   */
  private static final class Tally {
    long count;
  }

  private Tally[] tallies;
  private SolutionActorSystem system;
  private ActorRef<SumActor.Command> sum;

  @Override
  public void open(int workers) {
    tallies = new Tally[workers];
    system = SolutionActorSystem.start("per-worker-sum");
    sum = system.spawn(SumActor.create(workers), "sum");
  }

  @Override
  public void increment(int worker) {
    tally(worker).count++;
  }

  @Override
  public void finished(int worker) {
    sum.tell(new SumActor.Partial(worker, tally(worker).count));
  }

  @Override
  public long total() throws InterruptedException {
    return system.<SumActor.Command, SumActor.Total>ask(sum, SumActor.GetTotal::new).value();
  }

  @Override
  public void close() {
    if (system != null) system.terminate();
  }

  /** Slot {@code worker} is only ever read and written by worker {@code worker}'s thread. */
  private Tally tally(int worker) {
    Tally tally = tallies[worker];
    if (tally == null) {
      tally = new Tally();
      tallies[worker] = tally;
    }
    return tally;
  }
}
