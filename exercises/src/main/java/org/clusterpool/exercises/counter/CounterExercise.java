package org.clusterpool.exercises.counter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clusterpool.exercises.Exercise;
import org.clusterpool.exercises.harness.Implementation;
import org.clusterpool.exercises.harness.Measurement;
import org.clusterpool.exercises.harness.Workload;
import org.clusterpool.exercises.report.Figures;
import org.clusterpool.exercises.report.Findings;

/**
 * {@code counter}: N threads increment one counter, unsynchronized, with locks, atomics, and
 * actors.
 */
public final class CounterExercise implements Exercise<Counter, CounterParameters> {

  static final String UNSYNCHRONIZED = "unsynchronized";
  static final String SYNCHRONIZED = "synchronized";
  static final String REENTRANT_LOCK = "reentrant-lock";
  static final String ATOMIC_LONG = "atomic-long";
  static final String LONG_ADDER = "long-adder";
  static final String COUNTER_ACTOR = "counter-actor";
  static final String PER_WORKER_SUM = "per-worker-sum";

  /** Every solution in which all the workers update one shared count. */
  private static final List<String> SHARED =
      List.of(SYNCHRONIZED, REENTRANT_LOCK, ATOMIC_LONG, LONG_ADDER, COUNTER_ACTOR);

  private static final List<Implementation<Counter>> REFERENCES =
      List.of(
          Implementation.reference(
              UNSYNCHRONIZED,
              "count++ on a plain field: loses updates",
              UnsynchronizedCounter::new),
          Implementation.reference(
              SYNCHRONIZED, "count++ in a synchronized method", SynchronizedCounter::new),
          Implementation.reference(
              REENTRANT_LOCK, "count++ between lock() and unlock()", ReentrantLockCounter::new),
          Implementation.reference(
              ATOMIC_LONG,
              "AtomicLong.incrementAndGet: compare-and-set, no lock",
              AtomicLongCounter::new),
          Implementation.reference(
              LONG_ADDER,
              "LongAdder: one cell per contending thread, summed when read",
              LongAdderCounter::new),
          Implementation.reference(
              COUNTER_ACTOR,
              "one actor owns the count; every increment is a message",
              CounterActorCounter::new),
          Implementation.reference(
              PER_WORKER_SUM,
              "each worker counts alone, then sends one message to a sum actor",
              PerWorkerSumCounter::new));

  @Override
  public String name() {
    return "counter";
  }

  @Override
  public String summary() {
    return "N threads increment one counter: lost updates, locks, atomics, one actor, per-worker"
        + " counts summed";
  }

  @Override
  public Class<Counter> solutionType() {
    return Counter.class;
  }

  @Override
  public List<Implementation<Counter>> references() {
    return REFERENCES;
  }

  @Override
  public Workload<Counter, ?> workload(CounterParameters parameters) {
    return new CounterWorkload(parameters);
  }

  @Override
  public CounterParameters warmUp(CounterParameters parameters) {
    return new CounterParameters(
        parameters.threads(), Math.max(1, Math.min(parameters.increments() / 10, 200_000)));
  }

  @Override
  public String describe(CounterParameters parameters) {
    return parameters.threads()
        + " worker threads, "
        + Figures.count(parameters.increments())
        + " increments in all (an operation is one increment)";
  }

  @Override
  public List<String> findings(CounterParameters parameters, List<Measurement> rows) {
    List<String> lines = new ArrayList<>();
    Findings.row(rows, UNSYNCHRONIZED)
        .filter(r -> r.outcome().finished())
        .ifPresent(r -> lines.add(unsynchronized(r, parameters)));
    Optional<Measurement> atomic = Findings.correct(rows, ATOMIC_LONG);
    for (String lock : List.of(SYNCHRONIZED, REENTRANT_LOCK)) {
      Optional<Measurement> locked = Findings.correct(rows, lock);
      if (locked.isPresent() && atomic.isPresent()) {
        lines.add(
            lock
                + " was "
                + Findings.relative(locked.get(), atomic.get())
                + why(Findings.speed(locked.get(), atomic.get())));
      }
    }
    Optional<Measurement> adder = Findings.correct(rows, LONG_ADDER);
    if (adder.isPresent() && atomic.isPresent()) {
      Findings.Speed speed = Findings.speed(adder.get(), atomic.get());
      lines.add(
          LONG_ADDER
              + " was "
              + Findings.relative(adder.get(), atomic.get())
              + switch (speed) {
                case FASTER ->
                    ": colliding threads get cells of their own instead of fighting over one.";
                case UNTOLD -> ".";
                default ->
                    ": spreading the count pays only when many threads collide on one value.";
              });
    }
    Findings.correct(rows, COUNTER_ACTOR)
        .ifPresent(
            actor ->
                lines.add(
                    COUNTER_ACTOR
                        + " sent "
                        + Figures.count(parameters.increments())
                        + " messages to one actor, which made every increment on one thread; no"
                        + " worker ever waited for a lock, but the total waited for the mailbox to"
                        + " drain."));
    Optional<Measurement> perWorker = Findings.correct(rows, PER_WORKER_SUM);
    Optional<Measurement> bestShared = Findings.fastestCorrect(rows, SHARED);
    if (perWorker.isPresent() && bestShared.isPresent()) {
      Findings.Speed speed = Findings.speed(perWorker.get(), bestShared.get());
      // one run cannot tell: no explanation of a difference it may not have
      boolean faster = speed == Findings.Speed.FASTER || speed == Findings.Speed.UNTOLD;
      lines.add(
          PER_WORKER_SUM
              + " shared nothing until the end: "
              + parameters.threads()
              + " messages in all, and it was "
              + Findings.relative(perWorker.get(), bestShared.get())
              + ", the fastest counter shared by all workers"
              + (faster
                  ? "."
                  : ". A run of "
                      + Figures.duration(perWorker.get().wallNanos())
                      + " is mostly fixed costs (starting the workers, one round trip to the sum"
                      + " actor), while the cost of sharing grows with every increment: compare"
                      + " with ten times more (--ops "
                      + Math.min(parameters.increments() * 10, CounterParameters.MAX_INCREMENTS)
                      + ")."));
    }
    return lines;
  }

  /** Why a lock compares with a compare-and-set the way it did. */
  private static String why(Findings.Speed lockAgainstAtomic) {
    return switch (lockAgainstAtomic) {
      case SLOWER ->
          ": a contended lock makes threads wait their turn (spinning, then parking), where a"
              + " compare-and-set is retried on the spot.";
      case FASTER ->
          ": an unfair lock lets its holder take it again and again, so the count stays in one"
              + " core's cache, where compare-and-sets from every core pull it back and forth.";
      case SAME -> ": taking a lock nobody holds is itself one compare-and-set.";
      case UNTOLD -> ".";
    };
  }

  private static String unsynchronized(Measurement row, CounterParameters parameters) {
    if (!row.verdict().correct()) {
      long lost = row.verdict().figure();
      return UNSYNCHRONIZED
          + " lost "
          + Figures.percent((double) lost / parameters.increments())
          + " of its increments: two workers read the same value, both wrote value + 1, and one"
          + " increment vanished.";
    }
    return UNSYNCHRONIZED
        + " lost nothing this time"
        + (parameters.threads() == 1 ? " (one thread: nothing to interleave)" : "")
        + ": a race shows only when the scheduler interleaves, which is why the tests force the"
        + " interleaving instead.";
  }
}
