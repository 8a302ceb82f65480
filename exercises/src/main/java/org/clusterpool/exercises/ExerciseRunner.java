package org.clusterpool.exercises;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.clusterpool.exercises.harness.Harness;
import org.clusterpool.exercises.harness.Implementation;
import org.clusterpool.exercises.harness.Measurement;
import org.clusterpool.exercises.report.Figures;
import org.clusterpool.exercises.report.Findings;
import org.clusterpool.exercises.report.Report;

/**
 * Runs every implementation of one exercise and gathers the report. With a warm-up, every
 * implementation first runs a smaller problem, all of them before any is measured: the JIT compiles
 * the harness's calls into a solution (and the shared helpers) for every implementation at once, so
 * that the first ones measured do not get faster calls merely for having been seen first.
 */
public final class ExerciseRunner {
  private ExerciseRunner() {}

  /**
   * @param progress told what starts ("warming up counter-actor", "measuring counter-actor"), for a
   *     status line
   */
  public static <S, P> Report run(
      Exercise<S, P> exercise,
      P parameters,
      List<Implementation<S>> implementations,
      RunOptions options,
      Consumer<String> progress) {
    // a deadlock or a crash in the warm-up is the finding: there is nothing left worth measuring
    Map<Implementation<S>, Measurement> failedWarmUps = new HashMap<>();
    if (options.warmUp()) {
      P small = exercise.warmUp(parameters);
      for (Implementation<S> implementation : implementations) {
        progress.accept("warming up " + implementation.name());
        Measurement warmUp =
            Harness.measure(implementation, exercise.workload(small), options.timeLimit());
        if (!warmUp.outcome().finished()) failedWarmUps.put(implementation, inWarmUp(warmUp));
      }
    }
    List<Measurement> measurements = new ArrayList<>();
    for (Implementation<S> implementation : implementations) {
      Measurement failed = failedWarmUps.get(implementation);
      if (failed != null) {
        measurements.add(failed);
        continue;
      }
      progress.accept("measuring " + implementation.name());
      measurements.add(measure(exercise, parameters, implementation, options));
    }
    List<String> findings = new ArrayList<>(Findings.general(measurements));
    findings.addAll(exercise.findings(parameters, measurements));
    String heading =
        exercise.name()
            + ": "
            + exercise.describe(parameters)
            + "; "
            + Runtime.getRuntime().availableProcessors()
            + " cores, Java "
            + System.getProperty("java.version");
    if (options.maxRuns() > 1) {
      String runs =
          options.minRuns() > 1 && options.minRuns() < options.maxRuns()
              ? options.minRuns()
                  + " to "
                  + options.maxRuns()
                  + " runs ("
                  + options.maxRuns()
                  + " while they take under "
                  + Figures.duration(options.measureFor().toNanos())
                  + " in all)"
              : "up to "
                  + options.maxRuns()
                  + " runs, repeated while under "
                  + Figures.duration(options.measureFor().toNanos())
                  + " in all";
      heading +=
          "\nwall time: the median of "
              + runs
              + "; one is called faster than another only when its slowest run"
              + " beat the other's fastest; a run that is wrong or stuck is shown at once";
    }
    return new Report(heading, measurements, findings);
  }

  /**
   * Runs the implementation until enough time was measured, and returns the median run; the first
   * run that is wrong or does not finish is returned at once: it is the finding, and the race may
   * not show again.
   */
  private static <S, P> Measurement measure(
      Exercise<S, P> exercise, P parameters, Implementation<S> implementation, RunOptions options) {
    List<Measurement> runs = new ArrayList<>();
    long measured = 0;
    do {
      // the garbage of the last run (a million messages) must not be collected on this run's clock
      System.gc();
      Measurement run =
          Harness.measure(implementation, exercise.workload(parameters), options.timeLimit());
      if (!run.correct()) return run;
      runs.add(run);
      measured += run.wallNanos();
    } while (runs.size() < options.maxRuns()
        && (runs.size() < options.minRuns() || measured < options.measureFor().toNanos()));
    List<Long> times = runs.stream().map(Measurement::wallNanos).toList();
    runs.sort(Comparator.comparingLong(Measurement::wallNanos));
    return runs.get(runs.size() / 2).withRuns(times);
  }

  private static Measurement inWarmUp(Measurement warmUp) {
    return new Measurement(
        warmUp.name(),
        warmUp.reference(),
        warmUp.outcome().inWarmUp(),
        warmUp.verdict(),
        warmUp.wallNanos(),
        warmUp.notes());
  }
}
