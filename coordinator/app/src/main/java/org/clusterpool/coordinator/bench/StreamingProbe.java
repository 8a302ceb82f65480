package org.clusterpool.coordinator.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.node.task.builtin.BuiltinTasks;

/**
 * Runs in a JVM of its own, started by the bench with a small {@code -Xmx}: imap over N generated
 * inputs, and prints {@code {"seconds", "count", "peak_heap_mb", "max_heap_mb"}}. Finishing at all
 * shows that the stream never holds its whole input or output.
 */
public final class StreamingProbe {
  private StreamingProbe() {}

  public static void main(String[] args) throws Exception {
    long n = Long.parseLong(args[0]);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    AtomicLong peak = new AtomicLong();
    Thread sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                  Thread.sleep(20);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    sampler.setDaemon(true);
    sampler.start();
    long start = System.nanoTime();
    long count = 0;
    long sum = 0;
    try (ClusterPool pool = ClusterPool.embedded()) {
      Iterable<Long> generated = () -> LongStream.rangeClosed(1, n).iterator();
      Iterator<Long> results = pool.imap(BuiltinTasks.SQUARE, generated);
      while (results.hasNext()) {
        sum += results.next();
        count++;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    sampler.interrupt();
    if (count != n || sum == 0)
      throw new IllegalStateException("lost results: " + count + " of " + n);
    System.out.printf(
        "{\"seconds\": %.4f, \"count\": %d, \"peak_heap_mb\": %.1f, \"max_heap_mb\": %.1f}%n",
        seconds, count, peak.get() / 1048576.0, memory.getHeapMemoryUsage().getMax() / 1048576.0);
    System.out.flush();
    System.exit(0);
  }
}
