package org.clusterpool.coordinator.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.coordinator.pool.Inputs;
import org.clusterpool.node.task.builtin.BuiltinTasks;

/**
 * Trivial-task throughput: {@code map square} over a million inputs with automatic chunks, beside
 * python3's {@code Pool(2).map} and two plain Java threads doing the same squares into a list.
 */
final class MapThroughput implements Scenario {
  static final int N = 1_000_000;

  @Override
  public String name() {
    return "map-throughput";
  }

  @Override
  public String description() {
    return "map square over 1,000,000 inputs, automatic chunks, embedded";
  }

  @Override
  public List<Row> run(BenchContext context) throws Exception {
    int workers = context.workers();
    double[] samples = new double[context.repeats(7)];
    try (ClusterPool pool = ClusterPool.embedded(workers)) {
      for (int i = 0; i < 5; i++)
        pool.map(BuiltinTasks.SQUARE, Inputs.range(1, N)); // warm up the JIT
      for (int i = 0; i < samples.length; i++) {
        long start = System.nanoTime();
        List<Long> out = pool.map(BuiltinTasks.SQUARE, Inputs.range(1, N));
        samples[i] = (System.nanoTime() - start) / 1e9;
        check(out.size() == N && out.get(N - 1) == (long) N * N);
      }
    }
    Figure clusterpool = Figure.perSecond(N, Samples.median(samples));
    Figure java = Figure.perSecond(N, executorMap(workers, context.repeats(7)));
    Figure python =
        context.hasPython()
            ? Figure.perSecond(
                N,
                context
                    .python()
                    .median(
                        "seconds",
                        context.repeats(5),
                        "map",
                        Integer.toString(N),
                        "auto",
                        Integer.toString(workers)))
            : null;
    return List.of(
        new Row(
            "map square 1M, auto chunks, " + workers + " workers",
            clusterpool,
            python,
            java,
            "items/s; python: Pool(" + workers + ").map"));
  }

  /**
   * Seconds for {@code workers} threads to square 1..N in python's chunks and gather the boxed
   * results.
   */
  private static double executorMap(int workers, int repeats) throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(workers);
    try {
      double[] samples = new double[repeats];
      for (int r = -3; r < repeats; r++) {
        long start = System.nanoTime();
        int chunk = (N + 4 * workers - 1) / (4 * workers);
        List<Future<long[]>> parts = new ArrayList<>();
        for (int from = 1; from <= N; from += chunk) {
          int first = from;
          int last = Math.min(N, from + chunk - 1);
          parts.add(
              executor.submit(
                  () -> {
                    long[] out = new long[last - first + 1];
                    for (int x = first; x <= last; x++)
                      out[x - first] = Math.multiplyExact((long) x, x);
                    return out;
                  }));
        }
        List<Long> out = new ArrayList<>(N);
        for (Future<long[]> part : parts) for (long v : part.get()) out.add(v);
        if (r >= 0) samples[r] = (System.nanoTime() - start) / 1e9;
        check(out.size() == N);
      }
      return Samples.median(samples);
    } finally {
      executor.shutdownNow();
    }
  }

  static void check(boolean ok) {
    if (!ok) throw new IllegalStateException("a benchmark run produced a wrong result");
  }
}
