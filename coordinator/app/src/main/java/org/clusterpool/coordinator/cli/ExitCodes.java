package org.clusterpool.coordinator.cli;

/** What {@code clusterpool} exits with. */
public final class ExitCodes {
  private ExitCodes() {}

  public static final int OK = 0;

  /** A task failed, a job was lost, or the run could not finish. */
  public static final int FAILED = 1;

  /** The command line was wrong: nothing ran. */
  public static final int USAGE = 2;
}
