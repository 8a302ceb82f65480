package org.clusterpool.coordinator.scale;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.clusterpool.coordinator.members.LocalCluster;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.coordinator.pool.Inputs;
import org.clusterpool.node.task.LongTask;
import org.clusterpool.node.task.builtin.BuiltinTasks;

/**
 * Scale on paper (README, "Kubernetes"): the CPU that one chunk costs the coordinator's JVM, which
 * holds the coordinator actor and the job's client (cutting inputs into chunks, collecting results
 * in order): on Kubernetes both live in the coordinator pod. How many workers one coordinator keeps
 * busy follows from it.
 *
 * <p>Measured in this JVM, warm, with 2 worker JVMs of 1 worker each: pairs of jobs that do the
 * same work in the same time but differ in their number of chunks, so that what a member costs
 * merely by being alive (gossip, heartbeats) cancels out and only the chunks remain. The median of
 * the rounds is printed.
 *
 * <pre>
 * java -cp coordinator/app/target/clusterpool.jar org.clusterpool.coordinator.scale.CoordinatorCost [ROUNDS]
 * </pre>
 */
public final class CoordinatorCost {
  private CoordinatorCost() {}

  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** One job of a pair: a task, the same input repeated, chunks of one input. */
  private record Job(LongTask task, long input, int count) {
    List<Long> inputs() {
      return Collections.nCopies(count, input);
    }
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    Path logs = Files.createTempDirectory("clusterpool-coordinator-cost");
    System.out.printf(
        "coordinator-cost: %d cores, Java %s; 2 worker JVMs of 1 worker; median of %d rounds%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), rounds);
    try (LocalCluster cluster = LocalCluster.start(2, 1, logs)) {
      ClusterPool pool = cluster.pool();
      // fib 31 costs phi^3 = 4.236 times fib 28: 200 of one, 847 of the other are the same work.
      // Both take
      // milliseconds, above clusterpool.chunk.batch-target (2 ms): every chunk is a message each
      // way.
      Job fewer = new Job(BuiltinTasks.FIB, 31, 200);
      Job more = new Job(BuiltinTasks.FIB, 28, 847);
      pair(pool, "one a message", fewer, more, rounds);
      // a microsecond each: the coordinator packs chunks into one message up to 2 ms of work
      pairOfRanges(pool, "batched", 20_000, 200_000, rounds);
      idle(rounds);
    }
  }

  private static void pair(ClusterPool pool, String name, Job fewer, Job more, int rounds) {
    for (int i = 0; i < 2; i++) { // warm-up: JIT on both paths
      pool.map(fewer.task(), fewer.inputs(), 1);
      pool.map(more.task(), more.inputs(), 1);
    }
    List<Double> perChunk = new ArrayList<>();
    List<Double> seconds = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      Sample a = Sample.of(() -> pool.map(fewer.task(), fewer.inputs(), 1));
      Sample b = Sample.of(() -> pool.map(more.task(), more.inputs(), 1));
      perChunk.add((b.cpuNanos - a.cpuNanos) / 1000.0 / (more.count() - fewer.count()));
      seconds.add(a.wallNanos / 1e9);
      seconds.add(b.wallNanos / 1e9);
    }
    report(
        name,
        perChunk,
        fewer.count()
            + " against "
            + more.count()
            + " chunks, jobs of "
            + format(median(seconds))
            + " s");
  }

  private static void pairOfRanges(
      ClusterPool pool, String name, long fewer, long more, int rounds) {
    for (int i = 0; i < 2; i++) pool.map(BuiltinTasks.SQUARE, Inputs.range(1, more), 1);
    List<Double> perChunk = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      Sample a = Sample.of(() -> pool.map(BuiltinTasks.SQUARE, Inputs.range(1, fewer), 1));
      Sample b = Sample.of(() -> pool.map(BuiltinTasks.SQUARE, Inputs.range(1, more), 1));
      perChunk.add((b.cpuNanos - a.cpuNanos) / 1000.0 / (more - fewer));
    }
    report(name, perChunk, fewer + " against " + more + " chunks of one square");
  }

  /** What the member costs with nothing to do: the part the pairs cancel out. */
  private static void idle(int rounds) throws InterruptedException {
    List<Double> perSecond = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      long cpu = OS.getProcessCpuTime();
      long wall = System.nanoTime();
      Thread.sleep(1000);
      perSecond.add((OS.getProcessCpuTime() - cpu) / 1e6 / ((System.nanoTime() - wall) / 1e9));
    }
    System.out.printf(
        Locale.ROOT,
        "%-14s %8s ms of CPU a second, with no job%n",
        "idle",
        format(median(perSecond)));
  }

  private record Sample(long cpuNanos, long wallNanos) {
    static Sample of(Runnable job) {
      long cpu = OS.getProcessCpuTime();
      long wall = System.nanoTime();
      job.run();
      return new Sample(OS.getProcessCpuTime() - cpu, System.nanoTime() - wall);
    }
  }

  private static void report(String name, List<Double> perChunk, String what) {
    List<String> each = perChunk.stream().map(CoordinatorCost::format).toList();
    System.out.printf(
        Locale.ROOT,
        "%-14s %8s µs of coordinator-JVM CPU per chunk (rounds: %s; %s)%n",
        name,
        format(median(perChunk)),
        String.join(" ", each),
        what);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }
}
