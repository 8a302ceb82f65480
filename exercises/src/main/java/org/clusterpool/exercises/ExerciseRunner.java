package org.clusterpool.exercises;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.clusterpool.exercises.harness.Harness;
import org.clusterpool.exercises.harness.Implementation;
import org.clusterpool.exercises.harness.Measurement;
import org.clusterpool.exercises.report.Findings;
import org.clusterpool.exercises.report.Report;

/**
 * Runs every implementation of one exercise and gathers the report. With a warm-up, every implementation first
 * runs a smaller problem, all of them before any is measured: the JIT compiles the harness's calls into a
 * solution (and the shared helpers) for every implementation at once, so that the first ones measured do not
 * get faster calls merely for having been seen first.
 */
public final class ExerciseRunner {
  private ExerciseRunner() {}

  /**
   * @param progress told what starts ("warm-up: counter-actor", "counter-actor"), for a terminal's status line
   */
  public static <S, P> Report run(
      Exercise<S, P> exercise, P parameters, List<Implementation<S>> implementations, RunOptions options,
      Consumer<String> progress) {
    // a deadlock or a crash in the warm-up is the finding: there is nothing left worth measuring
    Map<Implementation<S>, Measurement> failedWarmUps = new HashMap<>();
    if (options.warmUp()) {
      P small = exercise.warmUp(parameters);
      for (Implementation<S> implementation : implementations) {
        progress.accept("warm-up: " + implementation.name());
        Measurement warmUp = Harness.measure(implementation, exercise.workload(small), options.timeLimit());
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
      // the garbage of the last run (a million messages) must not be collected on this run's clock
      System.gc();
      progress.accept(implementation.name());
      measurements.add(Harness.measure(implementation, exercise.workload(parameters), options.timeLimit()));
    }
    List<String> findings = new ArrayList<>(Findings.general(measurements));
    findings.addAll(exercise.findings(parameters, measurements));
    String heading = exercise.name() + ": " + exercise.describe(parameters) + "; "
        + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version");
    return new Report(heading, measurements, findings);
  }

  private static Measurement inWarmUp(Measurement warmUp) {
    return new Measurement(warmUp.name(), warmUp.reference(), warmUp.outcome().inWarmUp(), warmUp.verdict(),
        warmUp.wallNanos(), warmUp.notes());
  }
}
