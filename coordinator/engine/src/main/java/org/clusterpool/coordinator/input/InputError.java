package org.clusterpool.coordinator.input;

/**
 * Inputs or calls that cannot run: one line that says what was wrong and what is accepted. The
 * command line prints it and exits with 2; the HTTP API answers 400 with it. No stack trace: it is
 * the user's mistake.
 */
public class InputError extends RuntimeException {
  public InputError(String message) {
    super(message, null, false, false);
  }
}
