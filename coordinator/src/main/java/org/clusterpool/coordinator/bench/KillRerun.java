package org.clusterpool.coordinator.bench;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.clusterpool.coordinator.cluster.LocalCluster;
import org.clusterpool.coordinator.pool.Inputs;
import org.clusterpool.coordinator.pool.JobListener;
import org.clusterpool.node.task.builtin.BuiltinTasks;

/**
 * A worker JVM killed with SIGKILL in the middle of a job: how long until its lost chunks run again
 * (the failure detector and the Split Brain Resolver decide that it is gone), and the job still completes.
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
      JobListener listener = new JobListener() {
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
          cluster.pool().mapAsync(BuiltinTasks.COUNT_PRIMES, inputs, 20, listener).toCompletableFuture();
      while (done.get() < N / 10 && !job.isDone()) Thread.sleep(5);
      long killed = System.nanoTime();
      cluster.nodes().get(0).kill();
      List<Long> out = job.get(5, TimeUnit.MINUTES);
      double total = (System.nanoTime() - jobStart) / 1e9;
      MapThroughput.check(out.size() == N);
      double toRerun = firstRetry.get() == 0 ? Double.NaN : (firstRetry.get() - killed) / 1e9;
      return List.of(new Row("worker JVM killed mid-job: kill to re-run", Figure.seconds(toRerun), null, null,
          String.format(Locale.ROOT, "the job of %d inputs completed, every result once (%.1f s in all)", N, total)));
    }
  }
}
