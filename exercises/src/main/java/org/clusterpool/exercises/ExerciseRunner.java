package org.clusterpool.exercises;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.clusterpool.exercises.harness.Harness;
import org.clusterpool.exercises.harness.Implementation;
import org.clusterpool.exercises.harness.Measurement;
import org.clusterpool.exercises.report.Findings;
import org.clusterpool.exercises.report.Report;

/** Runs every implementation of one exercise, one after the other, and gathers the report. */
public final class ExerciseRunner {
  private ExerciseRunner() {}

  /**
   * @param progress told the name of each implementation as its run starts (for a terminal's status line)
   */
  public static <S, P> Report run(
      Exercise<S, P> exercise, P parameters, List<Implementation<S>> implementations, RunOptions options,
      Consumer<String> progress) {
    List<Measurement> measurements = new ArrayList<>();
    for (Implementation<S> implementation : implementations) {
      progress.accept(implementation.name());
      measurements.add(measure(exercise, parameters, implementation, options));
      // the garbage of one run (a million messages) must not be collected on the next run's clock
      System.gc();
    }
    List<String> findings = new ArrayList<>(Findings.general(measurements));
    findings.addAll(exercise.findings(parameters, measurements));
    String heading = exercise.name() + ": " + exercise.describe(parameters) + "; "
        + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version");
    return new Report(heading, measurements, findings);
  }

  private static <S, P> Measurement measure(
      Exercise<S, P> exercise, P parameters, Implementation<S> implementation, RunOptions options) {
    if (options.warmUp()) {
      Measurement warmUp = Harness.measure(implementation, exercise.workload(exercise.warmUp(parameters)), options.timeLimit());
      // a deadlock or a crash in the warm-up is the finding: there is nothing left worth measuring
      if (!warmUp.outcome().finished()) {
        return new Measurement(warmUp.name(), warmUp.reference(), warmUp.outcome().inWarmUp(), warmUp.verdict(),
            warmUp.wallNanos(), warmUp.notes());
      }
    }
    return Harness.measure(implementation, exercise.workload(parameters), options.timeLimit());
  }
}
