package org.clusterpool.coordinator.bench;

import java.time.Duration;
import java.util.List;
import org.clusterpool.coordinator.members.LocalCluster;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.coordinator.pool.Inputs;
import org.clusterpool.node.task.builtin.BuiltinTasks;

/**
 * The pool across JVMs: {@code map square} over a million inputs, and with chunksize 1, on 2 worker
 * JVMs of 1 worker each over loopback; every chunk and result crosses the wire (Artery TCP, Jackson
 * CBOR). Chunksize 1 is shown beside the floor of the transport with many round trips in flight
 * ({@link TransportFloor}).
 */
final class ClusterThroughput implements Scenario {
  static final int N = 1_000_000;
  static final int N_SMALL = 100_000;

  /**
   * Round trips in flight in the floor under chunksize 1: one message per task, many in flight, as
   * the pool keeps them.
   */
  static final int FLOOR_WINDOW = 64;

  private static final String BATCHES =
      "it batches many tasks, and many results, into each message";

  @Override
  public String name() {
    return "jvm-throughput";
  }

  @Override
  public String description() {
    return "map square across 2 worker JVMs: 1,000,000 inputs with automatic chunks, and 100,000"
        + " with chunksize 1";
  }

  @Override
  public List<Row> run(BenchContext context) throws Exception {
    double[] auto = new double[context.repeats(5)];
    double[] single = new double[context.repeats(3)];
    double[] asks = new double[single.length];
    double[] tcp = new double[single.length];
    try (LocalCluster cluster = Clusters.start(2, 1)) {
      ClusterPool pool = cluster.pool();
      for (int i = 0; i < 12; i++)
        pool.map(BuiltinTasks.SQUARE, Inputs.range(1, N)); // the worker JVMs' JIT warms up
      for (int i = 0; i < auto.length; i++) {
        long start = System.nanoTime();
        List<Long> out = pool.map(BuiltinTasks.SQUARE, Inputs.range(1, N));
        auto[i] = (System.nanoTime() - start) / 1e9;
        MapThroughput.check(out.size() == N && out.get(N - 1) == (long) N * N);
      }
      for (int i = 0; i < 3; i++) pool.map(BuiltinTasks.SQUARE, Inputs.range(1, N_SMALL), 1);
      try (TransportFloor floor = TransportFloor.start()) {
        floor.warmUp(Duration.ofSeconds(context.quick() ? 1 : 3));
        // chunksize 1 and its floors take turns, so that a burst of load on the shared machine
        // falls on all alike
        for (int i = 0; i < single.length; i++) {
          long start = System.nanoTime();
          List<Long> out = pool.map(BuiltinTasks.SQUARE, Inputs.range(1, N_SMALL), 1);
          single[i] = (System.nanoTime() - start) / 1e9;
          MapThroughput.check(out.size() == N_SMALL);
          asks[i] = floor.tellPipelined(N_SMALL, FLOOR_WINDOW);
          TransportFloor.settle();
          tcp[i] = floor.tcpPipelined(N_SMALL, FLOOR_WINDOW);
        }
      }
    }
    Figure python = null;
    Figure pythonSingle = null;
    if (context.hasPython()) {
      python =
          Figure.perSecond(
              N,
              context
                  .python()
                  .median("seconds", context.repeats(5), "map", Integer.toString(N), "auto", "2"));
      pythonSingle =
          Figure.perSecond(
              ChunksizeOne.PYTHON_N,
              context
                  .python()
                  .median(
                      "seconds",
                      context.repeats(3),
                      "map",
                      Integer.toString(ChunksizeOne.PYTHON_N),
                      "1",
                      "2"));
    }
    Figure chunksizeOne = Figure.perSecond(N_SMALL, Samples.median(single));
    return List.of(
        new Row(
            "map square 1M, 2 worker JVMs",
            Figure.perSecond(N, Samples.median(auto)),
            python,
            null,
            "items/s; python: Pool(2).map"),
        new Row(
            "map square, chunksize 1, 2 worker JVMs", chunksizeOne, pythonSingle, null, "tasks/s"),
        FloorRows.row(
            "Pekko messages to one JVM, " + FLOOR_WINDOW + " in flight, actor to actor",
            new Figure(Samples.median(asks), Figure.Unit.PER_SECOND),
            chunksizeOne,
            BATCHES),
        FloorRows.row(
            "TCP round trips to one JVM, " + FLOOR_WINDOW + " in flight",
            new Figure(Samples.median(tcp), Figure.Unit.PER_SECOND),
            chunksizeOne,
            BATCHES));
  }
}
