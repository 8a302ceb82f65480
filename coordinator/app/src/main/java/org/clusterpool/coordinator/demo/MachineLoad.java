package org.clusterpool.coordinator.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * How busy the machine was while a demo measured, with the evidence a teacher can show: the load
 * average, and how many cores other processes took meanwhile. The second is the machine's busy time
 * ({@code /proc/stat}) less the cpu time of the demo's own JVMs: it tells a quiet machine from one
 * where another build stole the cores, which the load average alone cannot (the demo's own JVMs
 * count in it). Where {@code /proc} is missing, only what can be read is reported.
 */
final class MachineLoad {
  private MachineLoad() {}

  private static final Path LOADAVG = Path.of("/proc/loadavg");
  private static final Path STAT = Path.of("/proc/stat");

  /**
   * The machine at one moment: {@code busy} and {@code total} are /proc/stat's jiffies, -1 when
   * unknown.
   */
  record Snapshot(long nanos, double loadAverage, long busy, long total, double ownCpuSeconds) {}

  /**
   * Between two snapshots: the load average at both ends (NaN when unknown), and the cores that
   * processes other than {@code ours} kept busy on average (NaN when unknown).
   */
  record Window(int cores, double loadBefore, double loadAfter, double othersCores) {
    boolean othersKnown() {
      return !Double.isNaN(othersCores);
    }
  }

  /**
   * Reads the machine now; {@code pids}: the processes whose cpu time is the demo's own (this JVM
   * included).
   */
  static Snapshot now(List<Long> pids) {
    long[] stat = stat();
    return new Snapshot(
        System.nanoTime(), loadAverage().orElse(Double.NaN), stat[0], stat[1], cpuSeconds(pids));
  }

  static Window between(Snapshot before, Snapshot after, int cores) {
    double others = Double.NaN;
    double wall = (after.nanos() - before.nanos()) / 1e9;
    long total = after.total() - before.total();
    if (before.total() >= 0
        && after.total() >= 0
        && total > 0
        && wall > 0
        && !Double.isNaN(before.ownCpuSeconds())
        && !Double.isNaN(after.ownCpuSeconds())) {
      double busyCores = cores * (double) (after.busy() - before.busy()) / total;
      double ownCores = (after.ownCpuSeconds() - before.ownCpuSeconds()) / wall;
      others = Math.max(0, busyCores - ownCores);
    }
    return new Window(cores, before.loadAverage(), after.loadAverage(), others);
  }

  /** The one-minute load average, when the system tells it. */
  static OptionalDouble loadAverage() {
    try {
      String[] fields = Files.readString(LOADAVG).trim().split("\\s+");
      return OptionalDouble.of(Double.parseDouble(fields[0]));
    } catch (IOException | RuntimeException e) {
      return OptionalDouble.empty();
    }
  }

  /**
   * The first line of /proc/stat: user, nice, system, idle, iowait, irq, softirq, steal. Busy is
   * everything but idle and iowait; steal counts as busy, since a hypervisor that takes the core
   * takes it from the demo too.
   */
  private static long[] stat() {
    try {
      for (String line : Files.readAllLines(STAT)) {
        if (!line.startsWith("cpu ")) continue;
        String[] f = line.trim().split("\\s+");
        long total = 0;
        long idle = 0;
        for (int i = 1; i < Math.min(f.length, 9); i++) {
          long v = Long.parseLong(f[i]);
          total += v;
          if (i == 4 || i == 5) idle += v;
        }
        return new long[] {total - idle, total};
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: unknown
    }
    return new long[] {-1, -1};
  }

  /** The cpu time of these processes so far, NaN when one of them does not tell it. */
  private static double cpuSeconds(List<Long> pids) {
    double seconds = 0;
    for (long pid : pids) {
      Duration cpu = ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).orElse(null);
      if (cpu == null) return Double.NaN;
      seconds += cpu.toNanos() / 1e9;
    }
    return seconds;
  }

  static String format(double value) {
    return Double.isNaN(value) ? "unknown" : String.format(Locale.ROOT, "%.2f", value);
  }
}
