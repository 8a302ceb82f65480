package org.clusterpool.coordinator.bench;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.clusterpool.coordinator.members.LocalCluster;
import org.clusterpool.node.task.builtin.BuiltinTasks;

/**
 * Cpu-bound speedup across JVMs: the same fib inputs on one thread, then on 1 and on 2 worker JVMs
 * of one worker each.
 */
final class ClusterSpeedup implements Scenario {
  /**
   * Three JVMs share the cores here, and their JIT compilers go on compiling Pekko's code for many
   * seconds after start, taking cpu from the workers; warming up for a while, not for a number of
   * rounds, measures the pool.
   */
  private static final Duration WARM_UP = Duration.ofSeconds(12);

  @Override
  public String name() {
    return "jvm-speedup";
  }

  @Override
  public String description() {
    return "fib 32 x 96 on 1 thread, then on 1 and 2 worker JVMs (one worker each), automatic"
        + " chunks, after a warm-up";
  }

  @Override
  public List<Row> run(BenchContext context) throws Exception {
    List<Long> inputs = Collections.nCopies(96, 32L);
    int repeats = context.repeats(5);
    double serial = CpuWork.serial(BuiltinTasks.FIB, inputs, repeats);
    Duration warmUp = context.quick() ? WARM_UP.dividedBy(4) : WARM_UP;
    double one = time(1, inputs, repeats, warmUp);
    double two = time(2, inputs, repeats, warmUp);
    return List.of(
        new Row(
            "cpu speedup, 2 worker JVMs over 1 thread",
            Figure.times(serial / two),
            null,
            null,
            "automatic chunks; measured after " + warmUp.toSeconds() + " s of warm-up"),
        new Row("cpu speedup, 2 worker JVMs over 1 JVM", Figure.times(one / two), null, null, ""));
  }

  private static double round(LocalCluster cluster, List<Long> inputs) {
    long start = System.nanoTime();
    List<Long> out = cluster.pool().map(BuiltinTasks.FIB, inputs);
    MapThroughput.check(out.size() == inputs.size());
    return (System.nanoTime() - start) / 1e9;
  }

  private static double time(int nodes, List<Long> inputs, int repeats, Duration warmUp)
      throws Exception {
    try (LocalCluster cluster = Clusters.start(nodes, 1)) {
      long warmUpEnd = System.nanoTime() + warmUp.toNanos();
      while (System.nanoTime() < warmUpEnd) round(cluster, inputs);
      double[] samples = new double[repeats];
      for (int r = 0; r < repeats; r++) samples[r] = round(cluster, inputs);
      return Samples.median(samples);
    }
  }
}
