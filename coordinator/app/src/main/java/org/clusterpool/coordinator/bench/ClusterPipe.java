package org.clusterpool.coordinator.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.clusterpool.coordinator.members.LocalCluster;
import org.clusterpool.node.pipe.Connection;
import org.clusterpool.node.pipe.Pipe;
import org.clusterpool.node.task.ValueTypes;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.clusterpool.node.task.builtin.PipeEcho;

/**
 * A duplex pipe between this JVM and a worker JVM that echoes (the {@code pipe-echo} task): round
 * trips per second, beside python3's {@code multiprocessing.Pipe} between a parent and a child
 * process doing the same, and beside the floors of the transports between two JVMs ({@link
 * TransportFloor}).
 */
final class ClusterPipe implements Scenario {
  /** Round trips before the clock, at least: C2 compiles a method after some ten thousand calls. */
  static final int WARM_UP_ROUND_TRIPS = 30_000;

  @Override
  public String name() {
    return "jvm-pipe";
  }

  @Override
  public String description() {
    return "pipe ping-pong between this JVM and a worker JVM: round trips per second; python:"
        + " multiprocessing.Pipe to a child process";
  }

  @Override
  public List<Row> run(BenchContext context) throws Exception {
    int count = context.quick() ? 2000 : 5000;
    int rounds = context.quick() ? 3 : 7;
    Duration warmUp = Duration.ofSeconds(context.quick() ? 1 : 3);
    double[] ours = new double[rounds];
    double[] ask = new double[rounds];
    double[] tcp = new double[rounds];
    double[] unix = new double[rounds];
    double[] python = context.hasPython() ? new double[rounds] : null;
    boolean direct;
    try (LocalCluster cluster = Clusters.start(1, 1);
        TransportFloor floor = TransportFloor.start()) {
      Connection<Long> ping =
          Pipe.open(cluster.coordinator().system(), "bench-pipe", ValueTypes.LONG, Pipe.End.FIRST);
      CompletableFuture<PipeEcho.Report> echo =
          cluster
              .pool()
              .applyAsync(BuiltinTasks.PIPE_ECHO, new PipeEcho.Args("bench-pipe", 0))
              .toCompletableFuture();
      // both JVMs compile the round trip before the clock: some seconds of it, and enough round
      // trips for the compilers
      // (which a loaded machine starves), but not for ever on the slow path through the cluster
      long started = System.nanoTime();
      long enough = started + warmUp.toNanos();
      long most = started + 4 * warmUp.toNanos();
      for (long i = 0;
          System.nanoTime() < most && (System.nanoTime() < enough || i < WARM_UP_ROUND_TRIPS);
          i++) pingPong(ping, i);
      floor.warmUp(warmUp);
      // the rounds of each take turns, so that a burst of load on the shared machine falls on all
      // of them alike
      for (int r = 0; r < rounds; r++) {
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) pingPong(ping, i);
        ours[r] = count / ((System.nanoTime() - start) / 1e9);
        tcp[r] = count / sum(floor.tcpSamples(count));
        unix[r] = count / sum(floor.unixSamples(count));
        if (python != null)
          python[r] =
              count
                  / context.python().run("pipe", Integer.toString(count)).get("seconds").asDouble();
      }
      // Pekko's asks apart, after the rest: they are 20 times slower than the others, and were seen
      // to slow every round
      // trip of the next second or two (in both JVMs), which taking turns would have charged to the
      // others
      for (int r = 0; r < rounds; r++) ask[r] = count / 5 / sum(floor.askSamples(count / 5));
      direct = ping.directConnection();
      ping.close();
      MapThroughput.check(echo.get(60, TimeUnit.SECONDS).eof());
    }
    Figure pipe = perSecond(ours);
    return List.of(
        new Row(
            "pipe ping-pong across JVMs",
            pipe,
            python == null ? null : perSecond(python),
            null,
            "round trips/s, "
                + (direct
                    ? "over the ends' direct connection (a Unix socket)"
                    : "through the cluster (clusterpool.pipe.direct = off, or no direct"
                        + " connection)")
                + "; python: multiprocessing.Pipe, parent and child process"),
        FloorRows.row(
            "Pekko ask, one at a time",
            perSecond(ask),
            pipe,
            "it goes over its own Unix socket, not through Pekko"),
        FloorRows.row(
            "TCP ping-pong on loopback",
            perSecond(tcp),
            pipe,
            "it goes over a Unix socket, not TCP"),
        FloorRows.row("Unix socket ping-pong", perSecond(unix), pipe, FloorRows.SAME_TRANSPORT));
  }

  private static Figure perSecond(double[] rounds) {
    return new Figure(Samples.median(rounds), Figure.Unit.PER_SECOND);
  }

  private static void pingPong(Connection<Long> ping, long i) throws Exception {
    ping.send(i);
    MapThroughput.check(ping.recv() == i);
  }

  private static double sum(double[] seconds) {
    double total = 0;
    for (double s : seconds) total += s;
    return total;
  }
}
