package org.clusterpool.coordinator.bench;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.clusterpool.coordinator.members.LocalCluster;
import org.clusterpool.coordinator.pool.Inputs;
import org.clusterpool.coordinator.pool.JobListener;
import org.clusterpool.node.launcher.JvmProcess;
import org.clusterpool.node.launcher.MemberDowning;
import org.clusterpool.node.launcher.NodeExit;
import org.clusterpool.node.task.builtin.BuiltinTasks;

/**
 * A worker JVM killed with SIGKILL in the middle of a job: how long until its lost chunks run
 * again, and the job still completes. The JVM that started it (this one, through the local
 * cluster's node supervisor) sees the process end and downs its member at once; the note says
 * whether it did, or whether the failure detector got there first.
 */
final class KillRerun implements Scenario {
  static final int N = 4000;

  @Override
  public String name() {
    return "jvm-kill";
  }

  @Override
  public String description() {
    return "kill -9 a worker JVM mid-job: time until its chunks run again; the job completes";
  }

  @Override
  public List<Row> run(BenchContext context) throws Exception {
    try (LocalCluster cluster = Clusters.start(2, 1)) {
      AtomicLong done = new AtomicLong();
      AtomicLong firstRetry = new AtomicLong();
      JobListener listener =
          new JobListener() {
            @Override
            public void progress(String jobId, long d, long total) {
              done.set(d);
            }

            @Override
            public void chunkRetried(String jobId, long seq, int size, String reason) {
              firstRetry.compareAndSet(0, System.nanoTime());
            }
          };
      List<Long> inputs = Inputs.range(2_000_000, 2_000_000 + N - 1); // a few ms each
      long jobStart = System.nanoTime();
      CompletableFuture<List<Long>> job =
          cluster
              .pool()
              .mapAsync(BuiltinTasks.COUNT_PRIMES, inputs, 20, listener)
              .toCompletableFuture();
      while (done.get() < N / 10 && !job.isDone()) Thread.sleep(5);
      long killed = System.nanoTime();
      long killedMillis = System.currentTimeMillis();
      JvmProcess victim = cluster.nodes().get(0);
      victim.kill();
      List<Long> out = job.get(5, TimeUnit.MINUTES);
      double total = (System.nanoTime() - jobStart) / 1e9;
      MapThroughput.check(out.size() == N);
      double toRerun = firstRetry.get() == 0 ? Double.NaN : (firstRetry.get() - killed) / 1e9;
      // how the member went: downed by the JVM that started it, which saw its process end, or by
      // the failure detector
      NodeExit exit =
          cluster
              .supervisor()
              .nodes()
              .get(0)
              .lastExit()
              .filter(e -> e.pid() == victim.pid())
              .orElse(null);
      String member =
          exit == null
              ? "its end was not recorded"
              : exit.member() == MemberDowning.Outcome.DOWNED
                  ? String.format(
                      Locale.ROOT,
                      "its member downed by the JVM that started it %d ms after the kill",
                      Math.max(0, exit.at().toEpochMilli() - killedMillis))
                  : "its member: " + exit.member().phrase();
      return List.of(
          new Row(
              "worker JVM killed mid-job: kill to re-run",
              Figure.seconds(toRerun),
              null,
              null,
              String.format(
                  Locale.ROOT,
                  "%s; the job of %d inputs completed, every result once (%.1f s in all)",
                  member,
                  N,
                  total)));
    }
  }
}
