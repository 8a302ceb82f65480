package org.clusterpool.coordinator.bench;

import java.time.Duration;
import java.util.List;
import org.clusterpool.coordinator.members.LocalCluster;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.node.directlink.DirectLinks;
import org.clusterpool.node.task.builtin.BuiltinTasks;

/**
 * One call's round trip across JVMs: {@code apply(square, x)} from the coordinator's JVM to a
 * worker JVM and back, beside the floors between two JVMs ({@link TransportFloor}): Pekko's ask,
 * which the call would go through without the worker JVM's direct link, and the sockets (the link
 * is a Unix socket).
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
    double[] unix = new double[count];
    boolean linked;
    try (LocalCluster cluster = Clusters.start(1, 1);
        TransportFloor floor = TransportFloor.start()) {
      ClusterPool pool = cluster.pool();
      // Both JVMs compile a call's path for seconds: a method run once a call reaches C2 only
      // after some 15000 calls (tiered compilation's thresholds). With 5000 calls of warm-up, each
      // JVM compiled some 200 methods during the rounds below, on the same 2 cores as the calls,
      // and that compiling was most of the p99 (3 to 4 ms, against 1 ms and less once warm).
      long warmUntil = System.nanoTime() + Duration.ofSeconds(context.quick() ? 2 : 5).toNanos();
      for (long i = 0; System.nanoTime() < warmUntil; i++) pool.apply(BuiltinTasks.SQUARE, i);
      floor.warmUp(Duration.ofSeconds(context.quick() ? 1 : 3));
      // then rounds as measured below, unmeasured: the code that the turns from one kind of round
      // trip to the next bring (Pekko's asks in this JVM between the calls) is compiled before
      // the samples too
      for (int w = 0; w < 2; w++) {
        for (int i = 0; i < perRound; i++) pool.apply(BuiltinTasks.SQUARE, (long) i);
        floor.askSamples(perRound);
        floor.tcpSamples(perRound);
        floor.unixSamples(perRound);
      }
      TransportFloor.settle();
      // rounds of each in turn, so that a burst of load on the shared machine falls on all of them
      // alike
      for (int r = 0; r < rounds; r++) {
        for (int i = r * perRound; i < (r + 1) * perRound; i++) {
          long start = System.nanoTime();
          long out = pool.apply(BuiltinTasks.SQUARE, (long) i);
          samples[i] = (System.nanoTime() - start) / 1e9;
          MapThroughput.check(out == (long) i * i);
        }
        System.arraycopy(floor.askSamples(perRound), 0, asks, r * perRound, perRound);
        System.arraycopy(floor.tcpSamples(perRound), 0, tcp, r * perRound, perRound);
        System.arraycopy(floor.unixSamples(perRound), 0, unix, r * perRound, perRound);
      }
      linked =
          DirectLinks.get(cluster.coordinator().system()).counts().stream()
              .anyMatch(c -> c.sent() > 0);
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
    String path =
        linked
            ? "over the worker JVM's direct link (a Unix socket)"
            : "through the cluster (clusterpool.supervision.direct-links = off, or no link)";
    String notPekko =
        linked ? "it goes over a direct link, not through Pekko" : FloorRows.SAME_TRANSPORT;
    String notTcp = linked ? "it goes over a Unix socket, not TCP" : FloorRows.SAME_TRANSPORT;
    String notUnix = linked ? FloorRows.SAME_TRANSPORT : "it goes through Pekko over TCP";
    return List.of(
        new Row("apply square across JVMs, p50", p50, pyP50, null, path + "; python: Pool.apply"),
        FloorRows.row("Pekko ask alone, p50", Figure.micros(Samples.median(asks)), p50, notPekko),
        FloorRows.row("TCP round trip alone, p50", Figure.micros(Samples.median(tcp)), p50, notTcp),
        FloorRows.row(
            "Unix socket round trip alone, p50", Figure.micros(Samples.median(unix)), p50, notUnix),
        new Row(
            "apply square across JVMs, p99",
            p99,
            pyP99,
            null,
            "after a warm-up of seconds: both JVMs have compiled the call's path"),
        FloorRows.row(
            "Pekko ask alone, p99", Figure.micros(Samples.percentile(asks, 0.99)), p99, notPekko),
        FloorRows.row(
            "TCP round trip alone, p99", Figure.micros(Samples.percentile(tcp, 0.99)), p99, notTcp),
        FloorRows.row(
            "Unix socket round trip alone, p99",
            Figure.micros(Samples.percentile(unix, 0.99)),
            p99,
            notUnix));
  }
}
