package org.clusterpool.coordinator.bench;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.clusterpool.coordinator.cluster.LocalCluster;
import org.clusterpool.node.pipe.Connection;
import org.clusterpool.node.pipe.Pipe;
import org.clusterpool.node.task.ValueTypes;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.clusterpool.node.task.builtin.PipeEcho;

/**
 * A duplex pipe between this JVM and a worker JVM that echoes (the {@code pipe-echo} task): round trips per second,
 * beside python3's {@code multiprocessing.Pipe} between a parent and a child process doing the same.
 */
final class ClusterPipe implements Scenario {
  @Override
  public String name() {
    return "jvm-pipe";
  }

  @Override
  public String description() {
    return "pipe ping-pong between this JVM and a worker JVM: round trips per second; python: multiprocessing.Pipe to a child process";
  }

  @Override
  public List<Row> run(BenchContext context) throws Exception {
    int count = context.quick() ? 2000 : 5000;
    double seconds;
    try (LocalCluster cluster = Clusters.start(1, 1)) {
      Connection<Long> ping = Pipe.open(cluster.coordinator().system(), "bench-pipe", ValueTypes.LONG, Pipe.End.FIRST);
      CompletableFuture<PipeEcho.Report> echo =
          cluster.pool().applyAsync(BuiltinTasks.PIPE_ECHO, new PipeEcho.Args("bench-pipe", 0)).toCompletableFuture();
      for (long i = 0; i < 1000; i++) {
        ping.send(i);
        MapThroughput.check(ping.recv() == i);
      }
      long start = System.nanoTime();
      for (long i = 0; i < count; i++) {
        ping.send(i);
        MapThroughput.check(ping.recv() == i);
      }
      seconds = (System.nanoTime() - start) / 1e9;
      ping.close();
      MapThroughput.check(echo.get(60, TimeUnit.SECONDS).eof());
    }
    Figure python = null;
    if (context.hasPython()) {
      var run = context.python().run("pipe", Integer.toString(count));
      python = Figure.perSecond(run.get("round_trips").asDouble(), run.get("seconds").asDouble());
    }
    return List.of(new Row("pipe ping-pong across JVMs", Figure.perSecond(count, seconds), python, null,
        "round trips/s; python: multiprocessing.Pipe, parent and child process"));
  }
}
