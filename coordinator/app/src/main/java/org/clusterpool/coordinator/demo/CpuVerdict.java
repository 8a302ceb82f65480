package org.clusterpool.coordinator.demo;

import java.util.Locale;

/**
 * What the cpu-bound figures say about the course's claim, with margins: processes beat the GIL
 * only when their speedup is clear (at least {@link #CLEAR} over one thread, and {@link #OVER_LOCK}
 * times the locked threads'), the locked threads gained nothing while they stay within {@link
 * #NO_GAIN} of one thread, and a run on a busy machine is called busy, with its evidence, rather
 * than counted against the course.
 *
 * @param k threads (and worker JVMs) in each way
 * @param locked the speedup of k threads under the simulated GIL over one thread
 * @param free the speedup of k free threads
 * @param processes the speedup of k worker JVMs
 */
record CpuVerdict(
    int k, int jvms, double locked, double free, double processes, Quietness quietness) {

  /**
   * The least speedup over one thread that counts as a clear gain: three times the 10% by which one
   * thread's rounds may lie apart on a machine called quiet ({@link Quietness}). Not more: K worker
   * JVMs share the cores with the demo's own JVM, which hands out the work and takes the results (2
   * of them run at 1.4-1.6x on 2 cores, where 2 threads of one JVM run at 1.7-1.9x), so a higher
   * bar concluded against the course on a quiet machine.
   */
  static final double CLEAR = 1.3;

  /** The least ratio of the processes' speedup to the locked threads'. */
  static final double OVER_LOCK = 1.3;

  /** Up to this speedup, the locked threads gained nothing: the rest is noise. */
  static final double NO_GAIN = 1.15;

  enum Claim {
    SHOWN,
    BUSY,
    NOT_SHOWN
  }

  static CpuVerdict of(int k, int jvms, CpuComparison.Result cpu) {
    Timing one = cpu.oneThread().best();
    return new CpuVerdict(
        k,
        jvms,
        cpu.gilThreads().best().speedupOver(one),
        cpu.freeThreads().best().speedupOver(one),
        cpu.workerJvms().best().speedupOver(one),
        cpu.quietness());
  }

  /** Processes against the GIL, the course's claim for cpu-bound work. */
  Claim processesBeatTheGil() {
    if (processes >= CLEAR && processes >= locked * OVER_LOCK) return Claim.SHOWN;
    return quietness.busy() ? Claim.BUSY : Claim.NOT_SHOWN;
  }

  boolean lockHeldThemBack() {
    return locked <= NO_GAIN;
  }

  /** The sentence about the locked threads. */
  String lockLine() {
    return "cpu-bound: under one global lock, "
        + k
        + " threads ran at "
        + Timing.times(locked)
        + " the speed of one thread:"
        + (lockHeldThemBack()
            ? " no real gain: the lock lets one thread compute at a time, as the GIL does."
            : quietness.busy()
                ? " more than one lock allows, so the busy machine slowed the one thread's rounds"
                    + " more than theirs."
                : " a gain the GIL would not allow (the threads overlapped outside the lock).");
  }

  /** The sentence about the worker JVMs, next to the free threads. */
  String processesLine() {
    String figures =
        "  "
            + jvms
            + " worker JVM"
            + (jvms == 1 ? "" : "s")
            + " ran at "
            + Timing.times(processes)
            + ", "
            + k
            + " free threads at "
            + Timing.times(free)
            + ":";
    return switch (processesBeatTheGil()) {
      case SHOWN ->
          figures
              + " processes get around the lock, as the course says"
              + (free >= CLEAR ? "; so do threads where there is no GIL, as in Java." : ".");
      case BUSY ->
          figures
              + " the machine was busy ("
              + String.join("; ", quietness.reasons())
              + "), so this run cannot show what processes gain: run it again when the machine is"
              + " quiet.";
      case NOT_SHOWN ->
          figures
              + String.format(
                  Locale.ROOT,
                  " on a quiet machine, not the clear gain the course predicts"
                      + " (%.1fx over one thread and %.1fx the locked threads' figure).",
                  CLEAR,
                  OVER_LOCK);
    };
  }

  /** For the advice table: {@code yes: ...}, {@code busy: ...} or {@code no: ...}. */
  String adviceCell() {
    String figures =
        "processes " + Timing.times(processes) + ", threads under the GIL " + Timing.times(locked);
    return switch (processesBeatTheGil()) {
      case SHOWN -> "yes: " + figures;
      case BUSY -> "busy: " + figures + "; the machine was busy, run it again";
      case NOT_SHOWN -> "no: " + figures;
    };
  }
}
