package org.clusterpool.coordinator.demo;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The course's GIL: the same cpu-bound inputs on one thread, on K threads that must hold one global lock to compute,
 * on K free threads, and on K worker JVMs; then the I/O-bound counterpart, K threads with blocking sleeps beside
 * async sleeps. A table of wall times and speedups, and a conclusion drawn from them.
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
    return "cpu work on 1 thread, K threads under one global lock, K free threads, K worker JVMs; then waits: threads vs async";
  }

  /** K: {@code --workers}, else {@code --nodes}, else one per processor (at least 2, or there is nothing to compare). */
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
    out.println("The course (Python): because of the GIL, threads cannot run cpu-bound Python in parallel; processes can.");
    out.println("    with ThreadPoolExecutor(" + k + ") as ex: list(ex.map(fib, xs))   # one thread computes at a time");
    out.println("    with Pool(" + k + ") as p: p.map(fib, xs)                          # one interpreter per process");
    out.println("    with ThreadPoolExecutor(" + k + ") as ex: list(ex.map(time.sleep, waits))   # the GIL is released while waiting");
    out.println();
    out.println("clusterpool (Java): the JVM has no GIL, so one is simulated: a fair lock that a thread must hold to compute.");
    out.println("The worker JVMs are started first and warmed up; the clock runs only around the work.");
    out.println();
    out.flush();
    CpuComparison.Result cpu;
    IoComparison.Result io;
    try (DemoSession jvms = openJvms(context, k, "gil")) {
      cpu = CpuComparison.measure(k, jvms.workers(), jvms.pool(), false);
      io = IoComparison.measure(WAITS, WAIT_MILLIS, k, jvms.workers(), jvms.pool(), false);
    }
    out.printf("%-56s %10s %9s%n", "cpu-bound: " + CpuComparison.workload(), "wall time", "speedup");
    for (Timing t : List.of(cpu.oneThread(), cpu.gilThreads(), cpu.freeThreads(), cpu.workerJvms())) t.print(out, cpu.oneThread());
    out.println("I/O-bound: " + IoComparison.workload(io.waits(), io.millis()));
    for (Timing t : List.of(io.oneThread(), io.gilThreads(), io.async())) t.print(out, io.oneThread());
    out.println();
    for (String line : conclusion(k, cpu, io)) out.println(line);
    out.flush();
  }

  /** Drawn from the measured numbers only. */
  static List<String> conclusion(int k, CpuComparison.Result cpu, IoComparison.Result io) {
    double locked = cpu.gilThreads().speedupOver(cpu.oneThread());
    double free = cpu.freeThreads().speedupOver(cpu.oneThread());
    double processes = cpu.workerJvms().speedupOver(cpu.oneThread());
    double threadsWaiting = io.gilThreads().speedupOver(io.oneThread());
    double async = io.async().speedupOver(io.oneThread());
    List<String> lines = new ArrayList<>();
    String lockVerdict = locked < 1.25
        ? " no real gain: the lock lets one thread compute at a time, as the GIL does."
        : " a gain the GIL would not allow (the threads overlapped outside the lock).";
    lines.add("cpu-bound: under one global lock, " + k + " threads ran at " + Timing.times(locked) + " the speed of one thread:" + lockVerdict);
    String processVerdict = processes > locked * 1.2
        ? " processes get around the lock, as the course says."
        : " no clear gain over the locked threads this time (is the machine busy?).";
    lines.add("  " + k + " worker JVMs ran at " + Timing.times(processes) + " and " + k + " free threads at " + Timing.times(free) + ":" + processVerdict);
    lines.add("I/O-bound: " + k + " threads ran at " + Timing.times(threadsWaiting) + (threadsWaiting > 1.25
        ? " even under the lock, released while they wait;" : ", no gain;")
        + " async waits, all at once, at " + Timing.times(async) + ".");
    boolean cpuShown = processes > locked * 1.2;
    boolean ioShown = threadsWaiting > 1.25;
    boolean asyncShown = async > threadsWaiting;
    lines.add(cpuShown && ioShown && asyncShown
        ? "So, by these numbers: processes (or lock-free threads) for cpu work; threads help waits despite the GIL; async helps waits most."
        : "By these numbers the course's advice held for " + shown(cpuShown, ioShown, asyncShown) + ".");
    return lines;
  }

  private static String shown(boolean cpu, boolean io, boolean async) {
    List<String> held = new ArrayList<>();
    if (cpu) held.add("cpu work (processes)");
    if (io) held.add("waits (threads)");
    if (async) held.add("many waits (async)");
    return held.isEmpty() ? "none of its parts on this run" : String.join(", ", held) + " only";
  }
}
