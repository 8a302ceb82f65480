package org.clusterpool.coordinator.soak;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.clusterpool.coordinator.pool.ClusterPool;

/**
 * A fault soak: a stream of mixed jobs on a local cluster while faults are injected at random,
 * every result checked. It answers the one question the project stands on, over minutes rather than
 * one test: does any job lose a result, get one twice, or wait past its bound, whatever the cluster
 * goes through?
 *
 * @param jobBound a job that has not ended by then counts as "did not end in its bound" (and is
 *     given up)
 */
public record Soak(
    Duration length,
    int nodes,
    int workersPerNode,
    int concurrentJobs,
    long seed,
    Duration jobBound,
    Path logs) {

  /**
   * Runs the soak and prints its table; true when nothing was lost, doubled, wrong or left waiting.
   */
  public boolean run(PrintWriter out) throws Exception {
    Random random = new Random(seed);
    ScheduledExecutorService later =
        Executors.newScheduledThreadPool(
            2,
            run -> {
              Thread t = new Thread(run, "soak-faults");
              t.setDaemon(true);
              return t;
            });
    SoakReport report = new SoakReport();
    long start = System.nanoTime();
    try (SoakCluster cluster = new SoakCluster(logs, workersPerNode)) {
      out.printf(
          Locale.ROOT,
          "soak: %d min, %d worker JVMs of %d workers, 2 coordinator JVMs, %d jobs at a time, seed"
              + " %d; logs in %s%n",
          length.toMinutes(),
          nodes,
          workersPerNode,
          concurrentJobs,
          seed,
          logs);
      out.flush();
      ClusterPool pool = cluster.start(nodes);
      awaitWorkers(pool, nodes * workersPerNode);
      Faults faults = new Faults(cluster, nodes, new Random(random.nextLong()), later);
      long end = System.nanoTime() + length.toNanos();
      List<Thread> runners = new ArrayList<>();
      for (int i = 0; i < concurrentJobs; i++) {
        Random jobs = new Random(random.nextLong());
        Thread t =
            new Thread(
                () -> {
                  SoakJobs.Kind[] kinds = SoakJobs.Kind.values();
                  while (System.nanoTime() < end && cluster.clientAlive()) {
                    report.add(
                        SoakJobs.run(kinds[jobs.nextInt(kinds.length)], pool, jobs, jobBound));
                  }
                },
                "soak-jobs-" + i);
        t.start();
        runners.add(t);
      }
      while (System.nanoTime() < end) {
        if (!cluster.clientAlive()) {
          out.println(
              "the soak's own member left the cluster (it was downed): the soak ends early");
          break;
        }
        Thread.sleep(2000 + random.nextInt(4000));
        cluster.awaitCalm(Duration.ofSeconds(20));
        if (System.nanoTime() < end) faults.injectOne();
      }
      for (Thread t : runners) t.join(jobBound.toMillis() + 10_000);
      out.printf(Locale.ROOT, "%nafter %.1f min:%n", (System.nanoTime() - start) / 60e9);
      report.print(out, faults.injected());
    } finally {
      later.shutdownNow();
    }
    out.flush();
    return report.clean();
  }

  private static void awaitWorkers(ClusterPool pool, int workers) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (pool.status(Duration.ofSeconds(5)).workerSlots() >= workers) return;
      } catch (RuntimeException e) {
        // the singleton may not run yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "the soak's " + workers + " workers did not all join within 120 s");
  }
}
