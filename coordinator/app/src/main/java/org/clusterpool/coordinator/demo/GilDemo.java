package org.clusterpool.coordinator.demo;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The course's GIL: the same cpu-bound inputs on one thread, on K threads that must hold one global
 * lock to compute, on K free threads, and on K worker JVMs; then the I/O-bound counterpart, K
 * threads with blocking sleeps beside async sleeps. A table of wall times and speedups, and a
 * conclusion drawn from them.
 */
final class GilDemo implements Demo {
  static final int WAITS = 40;
  static final long WAIT_MILLIS = 20;

  @Override
  public String name() {
    return "gil";
  }

  @Override
  public String summary() {
    return "cpu work on 1 thread, K threads under one global lock, K free threads, K worker JVMs;"
        + " then waits: threads vs async";
  }

  /**
   * K: {@code --workers}, else {@code --nodes}, else one per processor (at least 2, or there is
   * nothing to compare).
   */
  static int threads(DemoContext context) {
    if (context.workers() > 0) return context.workers();
    if (context.nodes() > 0) return context.nodes();
    return Math.max(2, Runtime.getRuntime().availableProcessors());
  }

  /** The worker JVMs, of one worker each: {@code --nodes}, else K. */
  static DemoSession openJvms(DemoContext context, int threads, String name) {
    int jvms = context.nodes() > 0 ? context.nodes() : threads;
    return DemoSession.open(1, jvms, context.tasks(), name + "-" + ProcessHandle.current().pid());
  }

  @Override
  public void run(DemoContext context) throws Exception {
    PrintWriter out = context.out();
    int k = threads(context);
    double loadAtStart = MachineLoad.loadAverage().orElse(Double.NaN);
    out.println(
        "The course (Python): because of the GIL, threads cannot run cpu-bound Python in parallel;"
            + " processes can.");
    out.println(
        "    with ThreadPoolExecutor("
            + k
            + ") as ex: list(ex.map(fib, xs))   # one thread computes at a time");
    out.println(
        "    with Pool("
            + k
            + ") as p: p.map(fib, xs)                          # one interpreter per process");
    out.println(
        "    with ThreadPoolExecutor("
            + k
            + ") as ex: list(ex.map(time.sleep, waits))   # the GIL is released while waiting");
    out.println();
    out.println(
        "clusterpool (Java): the JVM has no GIL, so one is simulated: a fair lock that a thread"
            + " must hold to compute.");
    out.println(
        "The fixed costs are measured first and the work is sized so that they are small beside it;"
            + " the worker JVMs");
    out.println(
        "are started and warmed up on the same work before the clock runs"
            + (context.quick() ? " (--quick: less work, fewer rounds)." : "."));
    out.println();
    out.flush();
    CpuComparison.Result cpu;
    IoComparison.Result io;
    int jvmCount;
    try (DemoSession jvms = openJvms(context, k, "gil")) {
      jvmCount = jvms.workers();
      cpu =
          CpuComparison.measure(
              k,
              jvmCount,
              jvms.pool(),
              false,
              CpuComparison.Effort.of(context.quick()),
              loadAtStart);
      io =
          IoComparison.measure(
              WAITS, WAIT_MILLIS, k, jvms.workers(), jvms.pool(), false, context.quick() ? 1 : 2);
    }
    out.printf("%-56s %10s %9s%n", "cpu-bound: " + cpu.describe(), "wall time", "speedup");
    Timing base = cpu.oneThread().best();
    for (Repeats r :
        List.of(cpu.oneThread(), cpu.gilThreads(), cpu.freeThreads(), cpu.workerJvms()))
      r.best().print(out, base);
    out.println("I/O-bound: " + IoComparison.workload(io.waits(), io.millis()));
    for (Timing t : List.of(io.oneThread(), io.gilThreads(), io.async()))
      t.print(out, io.oneThread());
    out.println("Fixed costs, measured:");
    for (String line : cpu.fixedCostLines()) out.println(line);
    for (String line : cpu.quietness().summary()) out.println(line);
    out.println();
    for (String line : conclusion(CpuVerdict.of(k, jvmCount, cpu), io)) Projector.print(out, line);
    out.flush();
  }

  /**
   * Drawn from the measured numbers only; a part the numbers do not show on a busy machine is left
   * unjudged.
   */
  static List<String> conclusion(CpuVerdict cpu, IoComparison.Result io) {
    double threadsWaiting = io.gilThreads().speedupOver(io.oneThread());
    double async = io.async().speedupOver(io.oneThread());
    boolean busy = cpu.quietness().busy();
    List<String> lines = new ArrayList<>();
    lines.add(cpu.lockLine());
    lines.add(cpu.processesLine());
    boolean ioShown = threadsWaiting > WAITS_GAIN;
    lines.add(
        "I/O-bound: "
            + cpu.k()
            + " threads ran at "
            + Timing.times(threadsWaiting)
            + (ioShown
                ? " even under the lock, released while they wait;"
                : busy ? " on a busy machine;" : ", no gain;")
            + " async waits, all at once, at "
            + Timing.times(async)
            + ".");
    boolean cpuShown = cpu.processesBeatTheGil() == CpuVerdict.Claim.SHOWN;
    boolean asyncShown = async > threadsWaiting * WAITS_GAIN;
    if (cpuShown && ioShown && asyncShown) {
      lines.add(
          "So, by these numbers: processes (or lock-free threads) for cpu work; threads help waits"
              + " despite the GIL; async helps waits most.");
      return lines;
    }
    List<String> unjudged = new ArrayList<>();
    if (!cpuShown && busy) unjudged.add("cpu work");
    if (!ioShown && busy) unjudged.add("waits on threads");
    String line =
        "By these numbers the course's advice held for "
            + shown(cpuShown, ioShown, asyncShown)
            + ".";
    if (!unjudged.isEmpty())
      line +=
          " "
              + capitalized(String.join(" and ", unjudged))
              + " could not be judged: the machine was busy.";
    lines.add(line);
    return lines;
  }

  private static String capitalized(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  /** Threads that wait must gain at least this much to count as a gain: below it, noise. */
  static final double WAITS_GAIN = 1.25;

  private static String shown(boolean cpu, boolean io, boolean async) {
    List<String> held = new ArrayList<>();
    if (cpu) held.add("cpu work (processes)");
    if (io) held.add("waits (threads)");
    if (async) held.add("many waits (async)");
    return held.isEmpty() ? "none of its parts on this run" : String.join(", ", held) + " only";
  }
}
