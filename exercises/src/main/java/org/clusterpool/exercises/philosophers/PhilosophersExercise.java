package org.clusterpool.exercises.philosophers;

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
 * {@code philosophers}: five philosophers, five forks; locks in two orders, a waiter actor, forks
 * as actors.
 */
public final class PhilosophersExercise implements Exercise<DiningTable, PhilosophersParameters> {

  static final String NAIVE_LOCKS = "naive-locks";
  static final String ORDERED_FORKS = "ordered-forks";
  static final String WAITER_ACTOR = "waiter-actor";
  static final String FORK_ACTORS = "fork-actors";

  private static final List<Implementation<DiningTable>> REFERENCES =
      List.of(
          Implementation.reference(
              NAIVE_LOCKS, "a lock per fork, left fork first: can deadlock", NaiveLocksTable::new),
          Implementation.reference(
              ORDERED_FORKS, "a lock per fork, lower-numbered fork first", OrderedForksTable::new),
          Implementation.reference(
              WAITER_ACTOR,
              "a waiter actor hands out both forks at once, first come first served",
              WaiterTable::new),
          Implementation.reference(
              FORK_ACTORS,
              "every fork an actor, asked for lower-numbered first",
              ForkActorsTable::new));

  @Override
  public String name() {
    return "philosophers";
  }

  @Override
  public String summary() {
    return "five philosophers, five forks: naive locks (deadlock), ordered forks, a waiter actor,"
        + " forks as actors";
  }

  @Override
  public Class<DiningTable> solutionType() {
    return DiningTable.class;
  }

  @Override
  public List<Implementation<DiningTable>> references() {
    return REFERENCES;
  }

  @Override
  public Workload<DiningTable, ?> workload(PhilosophersParameters parameters) {
    return new PhilosophersWorkload(parameters);
  }

  @Override
  public PhilosophersParameters warmUp(PhilosophersParameters parameters) {
    return new PhilosophersParameters(
        parameters.philosophers(),
        Math.max(1, Math.min(parameters.meals() / 10, 2_000)),
        parameters.work());
  }

  @Override
  public String describe(PhilosophersParameters parameters) {
    return parameters.philosophers()
        + " philosophers, "
        + Figures.count(parameters.meals(), "meals")
        + " each, meals of "
        + Figures.count(parameters.work())
        + " steps of work (an operation is one meal)";
  }

  @Override
  public List<String> findings(PhilosophersParameters parameters, List<Measurement> rows) {
    List<String> lines = new ArrayList<>();
    Findings.correct(rows, NAIVE_LOCKS)
        .ifPresent(
            naive ->
                lines.add(
                    NAIVE_LOCKS
                        + " finished this time: it deadlocks"
                        + " only when all "
                        + parameters.philosophers()
                        + " philosophers hold their left fork at the same instant, which is up to"
                        + " the scheduler. Run it again; the tests force it every time."));
    Optional<Measurement> ordered = Findings.correct(rows, ORDERED_FORKS);
    Optional<Measurement> waiter = Findings.correct(rows, WAITER_ACTOR);
    Optional<Measurement> forks = Findings.correct(rows, FORK_ACTORS);
    if (waiter.isPresent() && ordered.isPresent()) {
      lines.add(
          WAITER_ACTOR
              + " was "
              + Findings.relative(waiter.get(), ordered.get())
              + ": one actor decides for the whole table, a round trip before every meal; in"
              + " exchange nobody ever holds one fork while waiting for the other.");
    }
    if (forks.isPresent() && waiter.isPresent()) {
      boolean faster = Findings.speed(forks.get(), waiter.get()) == Findings.Speed.FASTER;
      lines.add(
          FORK_ACTORS
              + " was "
              + Findings.relative(forks.get(), waiter.get())
              + (faster
                  ? ", although it makes two round trips per meal: its forks are five actors at"
                      + " work side by side, the waiter is one actor for the whole table."
                  : ": it makes two round trips per meal, the waiter one.")
              + " Message passing alone does not prevent the deadlock: asking for the left fork"
              + " first would deadlock just the same, and ThreadMXBean would not see it, because"
              + " the threads wait for replies, not for locks.");
    }
    return lines;
  }
}
