package org.clusterpool.coordinator.bench;

import java.util.List;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.coordinator.pool.Inputs;
import org.clusterpool.node.task.builtin.BuiltinTasks;

/**
 * Per-task overhead: {@code map square} with chunksize 1, one message per input, beside python3's
 * chunksize=1.
 */
final class ChunksizeOne implements Scenario {
  static final int N = 200_000;
  static final int PYTHON_N = 50_000;

  @Override
  public String name() {
    return "chunksize-1";
  }

  @Override
  public String description() {
    return "map square with chunksize 1: the cost of one task, embedded";
  }

  @Override
  public List<Row> run(BenchContext context) throws Exception {
    double[] samples = new double[context.repeats(5)];
    try (ClusterPool pool = ClusterPool.embedded(context.workers())) {
      for (int i = 0; i < 3; i++) pool.map(BuiltinTasks.SQUARE, Inputs.range(1, N), 1);
      for (int i = 0; i < samples.length; i++) {
        long start = System.nanoTime();
        List<Long> out = pool.map(BuiltinTasks.SQUARE, Inputs.range(1, N), 1);
        samples[i] = (System.nanoTime() - start) / 1e9;
        MapThroughput.check(out.size() == N);
      }
    }
    Figure python =
        context.hasPython()
            ? Figure.perSecond(
                PYTHON_N,
                context
                    .python()
                    .median(
                        "seconds",
                        context.repeats(3),
                        "map",
                        Integer.toString(PYTHON_N),
                        "1",
                        Integer.toString(context.workers())))
            : null;
    return List.of(
        new Row(
            "map square, chunksize 1, " + context.workers() + " workers",
            Figure.perSecond(N, Samples.median(samples)),
            python,
            null,
            "tasks/s"));
  }
}
