package org.clusterpool.coordinator.bench;

import java.util.Collections;
import java.util.List;
import org.clusterpool.coordinator.cluster.LocalCluster;
import org.clusterpool.node.task.builtin.BuiltinTasks;

/** Cpu-bound speedup across JVMs: the same fib inputs on one thread, then on 1 and on 2 worker JVMs of one worker each. */
final class ClusterSpeedup implements Scenario {
  @Override
  public String name() {
    return "jvm-speedup";
  }

  @Override
  public String description() {
    return "fib 32 x 24 on 1 thread, then on 1 and 2 worker JVMs (one worker each)";
  }

  @Override
  public List<Row> run(BenchContext context) throws Exception {
    List<Long> inputs = Collections.nCopies(24, 32L);
    int repeats = context.repeats(5);
    double serial = CpuWork.serial(BuiltinTasks.FIB, inputs, repeats);
    double one = time(1, inputs, repeats);
    double two = time(2, inputs, repeats);
    return List.of(
        new Row("cpu speedup, 2 worker JVMs over 1 thread", Figure.times(serial / two), null, null, ""),
        new Row("cpu speedup, 2 worker JVMs over 1 JVM", Figure.times(one / two), null, null, ""));
  }

  private static double time(int nodes, List<Long> inputs, int repeats) throws Exception {
    try (LocalCluster cluster = Clusters.start(nodes, 1)) {
      double[] samples = new double[repeats];
      for (int r = -2; r < repeats; r++) {
        long start = System.nanoTime();
        List<Long> out = cluster.pool().map(BuiltinTasks.FIB, inputs, 1);
        if (r >= 0) samples[r] = (System.nanoTime() - start) / 1e9;
        MapThroughput.check(out.size() == inputs.size());
      }
      return Samples.median(samples);
    }
  }
}
