package org.clusterpool.coordinator.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether the machine was quiet enough for a speedup to mean something, and the evidence either
 * way. A speedup over one thread needs the cores free: when other processes take them, or one
 * thread's own time moves from round to round, a low figure shows the neighbours, not the way of
 * computing, and the demo must say so instead of concluding against the course.
 *
 * @param loadAtStart the one-minute load average before the demo started its JVMs (NaN when
 *     unknown)
 * @param window the machine while the rounds ran
 * @param oneThreadSpread how much slower one thread's slowest round was than its best
 */
record Quietness(double loadAtStart, MachineLoad.Window window, double oneThreadSpread) {

  /** Other processes may take this share of the cores before the machine counts as busy. */
  static final double OTHERS_SHARE = 0.10;

  /** One thread's rounds may lie this far apart before the machine counts as busy. */
  static final double SPREAD = 0.10;

  /**
   * Without /proc/stat: a load average above this share of the cores, before the demo started, is
   * busy.
   */
  static final double LOAD_SHARE = 0.5;

  boolean busy() {
    return !reasons().isEmpty();
  }

  /** What made the machine busy, one clause each; empty when it was quiet. */
  List<String> reasons() {
    List<String> reasons = new ArrayList<>();
    int cores = window.cores();
    if (window.othersKnown() && window.othersCores() > OTHERS_SHARE * cores) {
      reasons.add(
          String.format(
              Locale.ROOT,
              "other processes took %.2f of the %d cores while it measured",
              window.othersCores(),
              cores));
    }
    if (oneThreadSpread > SPREAD) {
      reasons.add(
          String.format(
              Locale.ROOT,
              "one thread's time moved by %.0f%% between rounds",
              oneThreadSpread * 100));
    }
    if (!window.othersKnown() && !Double.isNaN(loadAtStart) && loadAtStart > LOAD_SHARE * cores) {
      reasons.add(
          String.format(
              Locale.ROOT,
              "the load average was %.2f on %d cores before the demo started",
              loadAtStart,
              cores));
    }
    return reasons;
  }

  /** The figures, whatever they show, and the judgement: two lines for the output. */
  List<String> summary() {
    String others =
        window.othersKnown()
            ? String.format(
                Locale.ROOT,
                "other processes took %.2f cores while it measured",
                window.othersCores())
            : "the cores other processes took are unknown here (no /proc/stat)";
    return List.of(
        String.format(
            Locale.ROOT,
            "The machine: %d cores; load average %s at the start, %s at the end (the demo's own"
                + " JVMs count in it);",
            window.cores(),
            MachineLoad.format(loadAtStart),
            MachineLoad.format(window.loadAfter())),
        String.format(
                Locale.ROOT,
                "    %s; one thread's rounds %.1f%% apart: ",
                others,
                oneThreadSpread * 100)
            + (busy() ? "busy." : "quiet."));
  }
}
