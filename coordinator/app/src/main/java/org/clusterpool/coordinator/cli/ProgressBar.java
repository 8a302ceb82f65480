package org.clusterpool.coordinator.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.clusterpool.coordinator.pool.JobListener;

/**
 * A one-line progress bar on standard error, redrawn at most ten times a second: done/total, rate,
 * time left. Shown only when standard error is a terminal and {@code --quiet} was not given, and
 * only once a job has run for a moment, so that short jobs print nothing extra.
 */
final class ProgressBar implements JobListener {
  private static final long REDRAW_NANOS = 100_000_000L;
  private static final long SHOW_AFTER_NANOS = 500_000_000L;
  private static final int WIDTH = 30;

  private final PrintStream err;
  private final long start = System.nanoTime();
  private long lastDraw;
  private boolean drawn;

  private ProgressBar(PrintStream err) {
    this.err = err;
  }

  /**
   * A bar when standard error is a terminal and the results go elsewhere (a file, a pipe): on one
   * terminal with them, the results show the progress themselves, and a bar redrawn between them
   * would cut their lines.
   */
  static JobListener forTerminal(boolean quiet) {
    return !quiet && Terminal.stderrIsTerminal() && !Terminal.stdoutIsTerminal()
        ? new ProgressBar(System.err)
        : JobListener.NONE;
  }

  @Override
  public void progress(String jobId, long done, long total) {
    long now = System.nanoTime();
    if (now - start < SHOW_AFTER_NANOS || now - lastDraw < REDRAW_NANOS) return;
    lastDraw = now;
    drawn = true;
    double seconds = (now - start) / 1e9;
    double rate = done / Math.max(seconds, 1e-9);
    StringBuilder line = new StringBuilder("\r");
    if (total > 0) {
      int filled = (int) (WIDTH * done / total);
      line.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
      line.append(String.format(Locale.ROOT, "%3d%% %d/%d", 100 * done / total, done, total));
      double eta = rate > 0 ? (total - done) / rate : 0;
      line.append(String.format(Locale.ROOT, "  %s/s  ETA %s", human(rate), duration(eta)));
    } else {
      line.append(String.format(Locale.ROOT, "%d done  %s/s", done, human(rate)));
    }
    err.print(line);
    err.flush();
  }

  /** Clears the bar's line, if one was drawn. */
  void clear() {
    if (drawn) {
      err.print("\r" + " ".repeat(100) + "\r");
      err.flush();
    }
  }

  static void clear(JobListener listener) {
    if (listener instanceof ProgressBar bar) bar.clear();
  }

  private static String human(double rate) {
    if (rate >= 1e6) return String.format(Locale.ROOT, "%.1fM", rate / 1e6);
    if (rate >= 1e3) return String.format(Locale.ROOT, "%.1fk", rate / 1e3);
    return String.format(Locale.ROOT, "%.0f", rate);
  }

  private static String duration(double seconds) {
    if (seconds >= 3600)
      return String.format(
          Locale.ROOT, "%dh%02dm", (long) seconds / 3600, ((long) seconds % 3600) / 60);
    if (seconds >= 60)
      return String.format(Locale.ROOT, "%dm%02ds", (long) seconds / 60, (long) seconds % 60);
    return String.format(Locale.ROOT, "%.0fs", seconds);
  }
}
