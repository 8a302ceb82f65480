package org.clusterpool.node.task.builtin;

import java.util.SplittableRandom;
import org.clusterpool.node.task.LongTask;
import org.clusterpool.node.task.TaskContext;

/**
 * Throws {@code samples} random points into the unit square and counts those inside the quarter
 * circle: 4 * hits / samples estimates pi. Seeded by the input's position in its job, so a re-run
 * on another worker gives the same answer and two inputs of the same size give different ones.
 */
public final class MonteCarloPi implements LongTask {
  static final long MAX = 10_000_000_000L;
  private static final long SEED = 0x5DEECE66DL;

  @Override
  public String name() {
    return "monte-carlo-pi";
  }

  @Override
  public String description() {
    return "samples -> hits inside the quarter circle (pi ~ 4 * hits / samples), seeded by input"
        + " position";
  }

  @Override
  public void validate(Long samples) {
    if (samples < 0 || samples > MAX) {
      throw new IllegalArgumentException(
          "monte-carlo-pi: samples = " + samples + " is out of range: accepted 0.." + MAX);
    }
  }

  @Override
  public long applyAsLong(long samples, TaskContext context) {
    validate(samples);
    SplittableRandom random =
        new SplittableRandom(SEED ^ (context.inputIndex() * 0x9E3779B97F4A7C15L));
    long hits = 0;
    for (long i = 0; i < samples; i++) {
      double x = random.nextDouble();
      double y = random.nextDouble();
      if (x * x + y * y <= 1.0) hits++;
      if ((i & 0xFFFFF) == 0xFFFFF && context.isCancelled()) break;
    }
    return hits;
  }
}
