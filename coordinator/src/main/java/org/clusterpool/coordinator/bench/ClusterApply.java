package org.clusterpool.coordinator.bench;

import java.util.List;
import org.clusterpool.coordinator.cluster.LocalCluster;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.node.task.builtin.BuiltinTasks;

/** One call's round trip across JVMs: {@code apply(square, x)} from the coordinator's JVM to a worker JVM and back. */
final class ClusterApply implements Scenario {
  @Override
  public String name() {
    return "jvm-apply";
  }

  @Override
  public String description() {
    return "apply square across JVMs: the round trip to a worker JVM on loopback, median and p99";
  }

  @Override
  public List<Row> run(BenchContext context) throws Exception {
    int count = context.quick() ? 2000 : 5000;
    double[] samples = new double[count];
    try (LocalCluster cluster = Clusters.start(1, 1)) {
      ClusterPool pool = cluster.pool();
      for (long i = 0; i < 5000; i++) pool.apply(BuiltinTasks.SQUARE, i);
      for (int i = 0; i < count; i++) {
        long start = System.nanoTime();
        long out = pool.apply(BuiltinTasks.SQUARE, (long) i);
        samples[i] = (System.nanoTime() - start) / 1e9;
        MapThroughput.check(out == (long) i * i);
      }
    }
    Figure pyP50 = null;
    Figure pyP99 = null;
    if (context.hasPython()) {
      var python = context.python().run("apply", Integer.toString(context.quick() ? 1000 : 3000), "2");
      pyP50 = Figure.micros(python.get("p50").asDouble());
      pyP99 = Figure.micros(python.get("p99").asDouble());
    }
    return List.of(
        new Row("apply square across JVMs, p50", Figure.micros(Samples.median(samples)), pyP50, null, "python: Pool.apply"),
        new Row("apply square across JVMs, p99", Figure.micros(Samples.percentile(samples, 0.99)), pyP99, null, ""));
  }
}
