package org.clusterpool.coordinator.bench;

import java.util.List;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.coordinator.pool.Gathered;
import org.clusterpool.node.task.builtin.BuiltinTasks;

/**
 * The cost of one gathered call, and 100,000 waits in flight at once: gather 100,000 {@code
 * sleep:0} (the cost per call), then 100,000 {@code sleep:1} (all waiting together), beside
 * python3's asyncio.
 */
final class GatherOverhead implements Scenario {
  static final int CALLS = 100_000;

  @Override
  public String name() {
    return "gather-overhead";
  }

  @Override
  public String description() {
    return "gather 100,000 sleep:0 (cost per call) and 100,000 sleep:1 at once (python3: asyncio)";
  }

  @Override
  public List<Row> run(BenchContext context) throws Exception {
    double[] perCall = new double[context.repeats(5)];
    double concurrent;
    try (ClusterPool pool = ClusterPool.embedded(context.workers())) {
      for (int i = 0; i < 2; i++)
        ClusterPool.await(pool.gather(GatherSleeps.calls(BuiltinTasks.SLEEP, 0.0, CALLS)));
      for (int i = 0; i < perCall.length; i++) {
        long start = System.nanoTime();
        Gathered done =
            ClusterPool.await(pool.gather(GatherSleeps.calls(BuiltinTasks.SLEEP, 0.0, CALLS)));
        perCall[i] = (System.nanoTime() - start) / 1e9 / CALLS;
        MapThroughput.check(done.size() == CALLS);
      }
      long start = System.nanoTime();
      Gathered done =
          ClusterPool.await(pool.gather(GatherSleeps.calls(BuiltinTasks.SLEEP, 1.0, CALLS)));
      concurrent = (System.nanoTime() - start) / 1e9;
      MapThroughput.check(done.size() == CALLS);
    }
    Figure pyPerCall = null;
    Figure pyConcurrent = null;
    if (context.hasPython()) {
      pyPerCall =
          Figure.micros(
              context
                      .python()
                      .median(
                          "seconds", context.repeats(3), "gather-overhead", Integer.toString(CALLS))
                  / CALLS);
      pyConcurrent =
          Figure.seconds(
              context
                  .python()
                  .median("seconds", context.repeats(3), "gather", Integer.toString(CALLS), "1"));
    }
    return List.of(
        new Row(
            "gather 100k sleep:0: time per call",
            Figure.micros(Samples.median(perCall)),
            pyPerCall,
            null,
            "python3: coroutines that await asyncio.sleep(0)"),
        new Row(
            "gather 100k sleep:1 at once",
            Figure.seconds(concurrent),
            pyConcurrent,
            null,
            "wall time"));
  }
}
