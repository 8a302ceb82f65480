package org.clusterpool.coordinator.bench;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.clusterpool.coordinator.members.LocalCluster;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.coordinator.pool.Inputs;
import org.clusterpool.node.launcher.JvmSpec;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.clusterpool.node.tls.Transport;

/**
 * What mutual TLS between the members costs: the same cluster of one worker JVM over mutual TLS
 * (the default) and over plain TCP ({@code --transport tcp}), side by side: {@code map square} over
 * a million inputs, and one apply's round trip.
 */
final class ClusterTransport implements Scenario {
  static final int N = 1_000_000;

  @Override
  public String name() {
    return "jvm-transport";
  }

  @Override
  public String description() {
    return "map square 1M and apply square across JVMs, over mutual TLS and over plain TCP (no"
        + " direct link): the cost of TLS";
  }

  @Override
  public List<Row> run(BenchContext context) throws Exception {
    List<Row> rows = new ArrayList<>();
    double[] throughput = new double[2];
    double[] latency = new double[2];
    for (Transport transport : List.of(Transport.TLS, Transport.TCP)) {
      double[] maps = new double[context.repeats(5)];
      double[] applies = new double[context.quick() ? 2000 : 5000];
      try (LocalCluster cluster =
          LocalCluster.start(
              1,
              1,
              Files.createTempDirectory("clusterpool-bench-logs"),
              List.of(),
              // the work goes through the transport measured, not over the worker's direct link
              ConfigFactory.parseString("clusterpool.supervision.direct-links = off"),
              JvmSpec.DEFAULT_HEAP,
              LocalCluster.FORM_TIMEOUT,
              transport)) {
        ClusterPool pool = cluster.pool();
        for (int i = 0; i < 8; i++)
          pool.map(BuiltinTasks.SQUARE, Inputs.range(1, N)); // the worker JVM's JIT warms up
        for (int i = 0; i < maps.length; i++) {
          long start = System.nanoTime();
          List<Long> out = pool.map(BuiltinTasks.SQUARE, Inputs.range(1, N));
          maps[i] = (System.nanoTime() - start) / 1e9;
          MapThroughput.check(out.size() == N && out.get(N - 1) == (long) N * N);
        }
        for (long i = 0; i < 5000; i++) pool.apply(BuiltinTasks.SQUARE, i);
        for (int i = 0; i < applies.length; i++) {
          long start = System.nanoTime();
          long out = pool.apply(BuiltinTasks.SQUARE, (long) i);
          applies[i] = (System.nanoTime() - start) / 1e9;
          MapThroughput.check(out == (long) i * i);
        }
      }
      int at = transport == Transport.TLS ? 0 : 1;
      throughput[at] = N / Samples.median(maps);
      latency[at] = Samples.median(applies);
      rows.add(
          new Row(
              "map square 1M, 1 worker JVM, " + transport.description(),
              Figure.perSecond(N, Samples.median(maps)),
              null,
              null,
              "items/s"));
      rows.add(
          new Row(
              "apply square across JVMs, p50, " + transport.description(),
              Figure.micros(Samples.median(applies)),
              null,
              null,
              ""));
    }
    rows.add(
        new Row(
            "mutual TLS over plain TCP: map throughput",
            Figure.times(throughput[0] / throughput[1]),
            null,
            null,
            "below 1: what TLS costs"));
    rows.add(
        new Row(
            "mutual TLS over plain TCP: apply p50",
            Figure.times(latency[0] / latency[1]),
            null,
            null,
            "above 1: what TLS costs"));
    return rows;
  }
}
