package org.clusterpool.coordinator.bench;

import java.time.Duration;
import java.util.List;
import org.clusterpool.coordinator.members.LocalCluster;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.node.task.builtin.BuiltinTasks;

/**
 * One call's round trip across JVMs: {@code apply(square, x)} from the coordinator's JVM to a
 * worker JVM and back, beside the floor of the transport between two JVMs ({@link TransportFloor}).
 */
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
    int rounds = 5;
    int perRound = count / rounds;
    double[] samples = new double[count];
    double[] asks = new double[count];
    double[] tcp = new double[count];
    try (LocalCluster cluster = Clusters.start(1, 1);
        TransportFloor floor = TransportFloor.start()) {
      ClusterPool pool = cluster.pool();
      for (long i = 0; i < 5000; i++) pool.apply(BuiltinTasks.SQUARE, i);
      floor.warmUp(Duration.ofSeconds(context.quick() ? 1 : 3));
      // rounds of each in turn, so that a burst of load on the shared machine falls on all of them
      // alike (apply and
      // Pekko's ask, the figures to compare, both go through Pekko; the TCP floor is 50 times below
      // either)
      for (int r = 0; r < rounds; r++) {
        for (int i = r * perRound; i < (r + 1) * perRound; i++) {
          long start = System.nanoTime();
          long out = pool.apply(BuiltinTasks.SQUARE, (long) i);
          samples[i] = (System.nanoTime() - start) / 1e9;
          MapThroughput.check(out == (long) i * i);
        }
        System.arraycopy(floor.askSamples(perRound), 0, asks, r * perRound, perRound);
        System.arraycopy(floor.tcpSamples(perRound), 0, tcp, r * perRound, perRound);
      }
    }
    Figure pyP50 = null;
    Figure pyP99 = null;
    if (context.hasPython()) {
      var python =
          context.python().run("apply", Integer.toString(context.quick() ? 1000 : 3000), "2");
      pyP50 = Figure.micros(python.get("p50").asDouble());
      pyP99 = Figure.micros(python.get("p99").asDouble());
    }
    Figure p50 = Figure.micros(Samples.median(samples));
    Figure p99 = Figure.micros(Samples.percentile(samples, 0.99));
    return List.of(
        new Row("apply square across JVMs, p50", p50, pyP50, null, "python: Pool.apply"),
        FloorRows.row(
            "Pekko ask alone, p50",
            Figure.micros(Samples.median(asks)),
            p50,
            FloorRows.SAME_TRANSPORT),
        FloorRows.row(
            "TCP round trip alone, p50",
            Figure.micros(Samples.median(tcp)),
            p50,
            FloorRows.SAME_TRANSPORT),
        new Row("apply square across JVMs, p99", p99, pyP99, null, ""),
        FloorRows.row(
            "Pekko ask alone, p99",
            Figure.micros(Samples.percentile(asks, 0.99)),
            p99,
            FloorRows.SAME_TRANSPORT),
        FloorRows.row(
            "TCP round trip alone, p99",
            Figure.micros(Samples.percentile(tcp, 0.99)),
            p99,
            FloorRows.SAME_TRANSPORT));
  }
}
