package org.clusterpool.coordinator.demo;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The course's closing section, "Gérer la concurrence en Python", as one table: each of its three
 * pieces of advice next to the measured speedups of every way of doing the work, and whether the
 * numbers bear it out.
 */
final class ConcurrencyAdviceDemo implements Demo {
  static final int FEW_WAITS = 10;
  static final long FEW_WAITS_MILLIS = 50;
  static final int MANY_WAITS = 200;
  static final long MANY_WAITS_MILLIS = 5;

  @Override
  public String name() {
    return "concurrency-advice";
  }

  @Override
  public String summary() {
    return "the course's closing advice as one measured table: threads for I/O, processes for cpu,"
        + " asyncio for many waits";
  }

  /**
   * One row: a workload, its timings (null where a way does not apply), the course's advice, and
   * the verdict.
   */
  record Row(
      String workload,
      Timing base,
      Timing gilThreads,
      Timing freeThreads,
      Timing workerJvms,
      Timing async,
      String advice,
      String verdict) {}

  @Override
  public void run(DemoContext context) throws Exception {
    PrintWriter out = context.out();
    int k = GilDemo.threads(context);
    double loadAtStart = MachineLoad.loadAverage().orElse(Double.NaN);
    out.println("The course (section 4, \"Gérer la concurrence en Python\"):");
    out.println("    a. threads when you wait for I/O (files, network)");
    out.println("    b. processes (multiprocessing) for cpu-bound work");
    out.println("    c. asyncio for I/O-bound work with many waits and little computing");
    out.println();
    out.println(
        "clusterpool measures each way on each kind of work: threads under a simulated GIL (a lock"
            + " held to compute,");
    out.println(
        "released while waiting), free threads (the JVM has no GIL), worker JVMs (processes), async"
            + " tasks (asyncio).");
    out.println(
        "The cpu work is sized from its measured fixed costs, on worker JVMs warmed up on it before"
            + " the clock runs.");
    out.println();
    out.flush();
    List<Row> rows = new ArrayList<>();
    CpuComparison.Result cpu;
    try (DemoSession jvms = GilDemo.openJvms(context, k, "advice")) {
      cpu =
          CpuComparison.measure(
              k,
              jvms.workers(),
              jvms.pool(),
              true,
              CpuComparison.Effort.of(context.quick()),
              loadAtStart);
      rows.add(cpuRow(cpu, CpuVerdict.of(k, jvms.workers(), cpu)));
      int ioRounds = context.quick() ? 1 : 2;
      IoComparison.Result few =
          IoComparison.measure(
              FEW_WAITS, FEW_WAITS_MILLIS, k, jvms.workers(), jvms.pool(), true, ioRounds);
      rows.add(
          ioRow(
              "I/O: " + IoComparison.workload(few.waits(), few.millis()),
              few,
              false,
              cpu.quietness()));
      IoComparison.Result many =
          IoComparison.measure(
              MANY_WAITS, MANY_WAITS_MILLIS, k, jvms.workers(), jvms.pool(), true, ioRounds);
      rows.add(
          ioRow(
              "many waits: " + IoComparison.workload(many.waits(), many.millis()),
              many,
              true,
              cpu.quietness()));
      out.println(
          "Speedup over one thread (K = "
              + k
              + "; "
              + jvms.where()
              + "; cpu: the best of "
              + cpu.oneThread().rounds()
              + " rounds"
              + (context.quick() ? ", --quick" : "")
              + "):");
    }
    String format = "%-42s %9s %11s %11s %8s %8s   %-10s %s%n";
    out.printf(
        format,
        "workload (time on 1 thread)",
        "1 thread",
        k + " thr.+GIL",
        k + " free thr.",
        k + " JVMs",
        "async",
        "course",
        "shown?");
    for (Row row : rows) {
      out.printf(
          format,
          row.workload() + String.format(Locale.ROOT, " (%.2f s)", row.base().seconds()),
          "1.00x",
          cell(row.gilThreads(), row.base()),
          cell(row.freeThreads(), row.base()),
          cell(row.workerJvms(), row.base()),
          cell(row.async(), row.base()),
          row.advice(),
          row.verdict().substring(0, row.verdict().indexOf(':')));
    }
    for (Row row : rows) {
      Projector.print(
          out,
          "    " + row.workload().substring(0, row.workload().indexOf(':')) + ": " + row.verdict());
    }
    out.println("Fixed costs of the cpu row, measured:");
    for (String line : cpu.fixedCostLines()) out.println(line);
    for (String line : cpu.quietness().summary()) out.println(line);
    out.println();
    Projector.print(out, summary(rows));
    out.flush();
  }

  /**
   * The last line, from the verdicts: a row on a busy machine is neither counted for the course nor
   * against it.
   */
  static String summary(List<Row> rows) {
    long shown = rows.stream().filter(r -> r.verdict().startsWith("yes")).count();
    long busy = rows.stream().filter(r -> r.verdict().startsWith("busy")).count();
    if (shown == rows.size())
      return "All three pieces of the course's advice are borne out by these numbers.";
    String line =
        shown + " of the " + rows.size() + " pieces of advice are borne out by these numbers";
    if (busy > 0)
      line +=
          "; "
              + busy
              + (busy == 1 ? " row was" : " rows were")
              + " measured on a busy machine and cannot be judged: run it again when it is quiet";
    if (shown + busy < rows.size()) line += "; see the rows marked no";
    return line + ".";
  }

  private static String cell(Timing timing, Timing base) {
    return timing == null ? "-" : Timing.times(timing.speedupOver(base));
  }

  static Row cpuRow(CpuComparison.Result cpu, CpuVerdict verdict) {
    return new Row(
        "cpu: " + cpu.workload().describe(),
        cpu.oneThread().best(),
        cpu.gilThreads().best(),
        cpu.freeThreads().best(),
        cpu.workerJvms().best(),
        cpu.oneLoop() == null ? null : cpu.oneLoop().best(),
        "processes",
        verdict.adviceCell());
  }

  static Row ioRow(String workload, IoComparison.Result io, boolean manyWaits, Quietness machine) {
    double threads = io.gilThreads().speedupOver(io.oneThread());
    double async = io.async().speedupOver(io.oneThread());
    String verdict;
    if (manyWaits) {
      double best = Math.max(threads, io.workerJvms().speedupOver(io.oneThread()));
      verdict =
          async > 2 * best
              ? "yes: async "
                  + Timing.times(async)
                  + ", "
                  + Timing.times(async / best)
                  + " the best of threads and processes"
              : (machine.busy() ? "busy: async " : "no: async ")
                  + Timing.times(async)
                  + ", threads "
                  + Timing.times(threads);
    } else {
      verdict =
          threads > GilDemo.WAITS_GAIN
              ? "yes: threads " + Timing.times(threads) + " even under the GIL"
              : (machine.busy() ? "busy: threads " : "no: threads ") + Timing.times(threads);
    }
    return new Row(
        workload,
        io.oneThread(),
        io.gilThreads(),
        io.freeThreads(),
        io.workerJvms(),
        io.async(),
        manyWaits ? "asyncio" : "threads",
        verdict);
  }
}
