package org.clusterpool.coordinator.demo;

import java.io.PrintWriter;
import java.util.Locale;

/** A measured way of doing the work: what it was, and how long it took. */
record Timing(String how, double seconds) {

  /** How many times faster than {@code baseline}. */
  double speedupOver(Timing baseline) {
    return baseline.seconds / Math.max(seconds, 1e-9);
  }

  void print(PrintWriter out, Timing baseline) {
    out.printf(Locale.ROOT, "    %-52s %8.3f s %8.2fx%n", how, seconds, speedupOver(baseline));
  }

  static String times(double speedup) {
    return String.format(Locale.ROOT, speedup >= 10 ? "%.0fx" : "%.2fx", speedup);
  }

  /** Runs {@code work} and times it. */
  static Timing of(String how, Work work) throws Exception {
    long start = System.nanoTime();
    work.run();
    return new Timing(how, (System.nanoTime() - start) / 1e9);
  }

  interface Work {
    void run() throws Exception;
  }
}
