package org.clusterpool.coordinator.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.node.task.LongTask;

/**
 * Timing helpers shared by the cpu-bound scenarios: the same inputs on one thread, on threads, on a
 * pool.
 */
final class CpuWork {
  private CpuWork() {}

  /** Median seconds to run the task over the inputs on this thread, one after the other. */
  static double serial(LongTask task, List<Long> inputs, int repeats) throws Exception {
    double[] samples = new double[repeats];
    for (int r = -1; r < repeats; r++) {
      long start = System.nanoTime();
      long sum = 0;
      for (long x : inputs) sum += task.applyAsLong(x, null);
      if (r >= 0) samples[r] = (System.nanoTime() - start) / 1e9;
      MapThroughput.check(sum != Long.MIN_VALUE);
    }
    return Samples.median(samples);
  }

  /** Median seconds on {@code threads} plain threads, inputs dealt round-robin. */
  static double threads(LongTask task, List<Long> inputs, int threads, int repeats)
      throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    try {
      double[] samples = new double[repeats];
      for (int r = -1; r < repeats; r++) {
        long start = System.nanoTime();
        List<Future<Long>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int first = t;
          parts.add(
              executor.submit(
                  () -> {
                    long sum = 0;
                    for (int i = first; i < inputs.size(); i += threads)
                      sum += task.applyAsLong(inputs.get(i), null);
                    return sum;
                  }));
        }
        for (Future<Long> part : parts) part.get();
        if (r >= 0) samples[r] = (System.nanoTime() - start) / 1e9;
      }
      return Samples.median(samples);
    } finally {
      executor.shutdownNow();
    }
  }

  /**
   * Median seconds for {@code map} on an embedded pool of {@code workers}; {@code chunksize} 0 is
   * automatic.
   */
  static double pool(LongTask task, List<Long> inputs, int workers, int chunksize, int repeats) {
    try (ClusterPool pool = ClusterPool.embedded(workers)) {
      double[] samples = new double[repeats];
      for (int r = -1; r < repeats; r++) {
        long start = System.nanoTime();
        List<Long> out = chunksize > 0 ? pool.map(task, inputs, chunksize) : pool.map(task, inputs);
        if (r >= 0) samples[r] = (System.nanoTime() - start) / 1e9;
        MapThroughput.check(out.size() == inputs.size());
      }
      return Samples.median(samples);
    }
  }
}
