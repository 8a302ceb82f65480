package org.clusterpool.coordinator.bench;

import java.util.List;
import java.util.stream.LongStream;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.node.task.builtin.BuiltinTasks;

/**
 * Skewed work: count-primes over 1..N costs more as n grows, so python's one chunk size ({@code
 * ceil(n / (4 * workers))}) leaves the dearest chunk for last. Automatic chunks shrink towards the
 * end; both are measured on the same pool, as speedups over one thread.
 */
final class SkewedWork implements Scenario {
  static final int N = 60_000;
  static final int PYTHON_N = 20_000;

  @Override
  public String name() {
    return "skewed-work";
  }

  @Override
  public String description() {
    return "count-primes 1..60000 (cost grows with n): automatic chunks vs python's x4 rule, 2"
        + " workers";
  }

  @Override
  public List<Row> run(BenchContext context) throws Exception {
    List<Long> inputs = LongStream.rangeClosed(1, N).boxed().toList();
    int workers = context.workers();
    int repeats = context.repeats(5);
    double serial = CpuWork.serial(BuiltinTasks.COUNT_PRIMES, inputs, repeats);
    int rule = (N + 4 * workers - 1) / (4 * workers);
    double auto;
    double pythonRule;
    try (ClusterPool pool = ClusterPool.embedded(workers)) {
      auto = timeMap(pool, inputs, 0, repeats);
      pythonRule = timeMap(pool, inputs, rule, repeats);
    }
    Figure pyRule = null;
    if (context.hasPython()) {
      String last = Integer.toString(PYTHON_N);
      double pySerial =
          context
              .python()
              .median(
                  "seconds", context.repeats(3), "cpu", "count-primes", "1", last, "serial", "1");
      double pyPool =
          context
              .python()
              .median("seconds", context.repeats(3), "skew", "1", last, Integer.toString(workers));
      pyRule = Figure.times(pySerial / pyPool);
    }
    return List.of(
        new Row(
            "skewed, python's x4 rule: speedup over 1 thread",
            Figure.times(serial / pythonRule),
            pyRule,
            null,
            "chunksize " + rule + "; python3: Pool(2).map over 1.." + PYTHON_N),
        new Row(
            "skewed, automatic chunks: speedup over 1 thread",
            Figure.times(serial / auto),
            null,
            null,
            String.format(
                java.util.Locale.ROOT, "%.2fx faster than the x4 rule", pythonRule / auto)));
  }

  private static double timeMap(ClusterPool pool, List<Long> inputs, int chunksize, int repeats) {
    double[] samples = new double[repeats];
    for (int r = -1; r < repeats; r++) {
      long start = System.nanoTime();
      List<Long> out =
          chunksize > 0
              ? pool.map(BuiltinTasks.COUNT_PRIMES, inputs, chunksize)
              : pool.map(BuiltinTasks.COUNT_PRIMES, inputs);
      if (r >= 0) samples[r] = (System.nanoTime() - start) / 1e9;
      MapThroughput.check(out.size() == inputs.size());
    }
    return Samples.median(samples);
  }
}
