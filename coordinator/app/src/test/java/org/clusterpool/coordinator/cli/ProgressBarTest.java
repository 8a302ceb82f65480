package org.clusterpool.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.clusterpool.coordinator.pool.JobListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bar is drawn on a terminal's standard error only when the results go elsewhere: on the same
 * terminal, a bar redrawn between results cut their lines.
 */
class ProgressBarTest {
  private final String stderr = System.getProperty("clusterpool.stderr.tty");
  private final String stdout = System.getProperty("clusterpool.stdout.tty");

  @AfterEach
  void restore() {
    restore("clusterpool.stderr.tty", stderr);
    restore("clusterpool.stdout.tty", stdout);
  }

  private static void restore(String key, String value) {
    if (value == null) System.clearProperty(key);
    else System.setProperty(key, value);
  }

  private static JobListener with(boolean stderrTty, boolean stdoutTty, boolean quiet) {
    System.setProperty("clusterpool.stderr.tty", Boolean.toString(stderrTty));
    System.setProperty("clusterpool.stdout.tty", Boolean.toString(stdoutTty));
    return ProgressBar.forTerminal(quiet);
  }

  @Test
  void aBarOnlyWhenTheResultsGoElsewhere() {
    assertInstanceOf(ProgressBar.class, with(true, false, false));
    assertSame(JobListener.NONE, with(true, true, false), "results on the same terminal");
    assertSame(JobListener.NONE, with(false, false, false), "standard error is no terminal");
    assertSame(JobListener.NONE, with(true, false, true), "--quiet");
  }
}
