package org.clusterpool.coordinator.bench;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.node.task.builtin.BuiltinTasks;

/**
 * One call's round trip: {@code apply(square, x)}, median and 99th percentile, beside python3's
 * Pool.apply.
 */
final class ApplyLatency implements Scenario {
  @Override
  public String name() {
    return "apply-latency";
  }

  @Override
  public String description() {
    return "apply square: one input's round trip through coordinator and worker, embedded";
  }

  @Override
  public List<Row> run(BenchContext context) throws Exception {
    int count = context.quick() ? 3000 : 10_000;
    double[] samples = new double[count];
    try (ClusterPool pool = ClusterPool.embedded(context.workers())) {
      for (long i = 0; i < 20_000; i++) pool.apply(BuiltinTasks.SQUARE, i);
      for (int i = 0; i < count; i++) {
        long start = System.nanoTime();
        long out = pool.apply(BuiltinTasks.SQUARE, (long) i);
        samples[i] = (System.nanoTime() - start) / 1e9;
        MapThroughput.check(out == (long) i * i);
      }
    }
    double[] executor = executorRoundTrips(count);
    Figure pyP50 = null;
    Figure pyP99 = null;
    if (context.hasPython()) {
      var python =
          context
              .python()
              .run(
                  "apply",
                  Integer.toString(context.quick() ? 1000 : 3000),
                  Integer.toString(context.workers()));
      pyP50 = Figure.micros(python.get("p50").asDouble());
      pyP99 = Figure.micros(python.get("p99").asDouble());
    }
    return List.of(
        new Row(
            "apply square, p50",
            Figure.micros(Samples.median(samples)),
            pyP50,
            Figure.micros(Samples.median(executor)),
            "java: submit(..).get() on a thread pool"),
        new Row(
            "apply square, p99",
            Figure.micros(Samples.percentile(samples, 0.99)),
            pyP99,
            Figure.micros(Samples.percentile(executor, 0.99)),
            ""));
  }

  private static double[] executorRoundTrips(int count) throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try {
      double[] samples = new double[count];
      for (int i = -20_000; i < count; i++) {
        long x = i;
        long start = System.nanoTime();
        executor.submit(() -> x * x).get();
        if (i >= 0) samples[i] = (System.nanoTime() - start) / 1e9;
      }
      return samples;
    } finally {
      executor.shutdownNow();
    }
  }
}
