package org.clusterpool.coordinator.cli;

/** What {@code clusterpool} exits with. */
final class ExitCodes {
  private ExitCodes() {}

  static final int OK = 0;
  /** A task failed, a job was lost, or the run could not finish. */
  static final int FAILED = 1;
  /** The command line was wrong: nothing ran. */
  static final int USAGE = 2;
}
