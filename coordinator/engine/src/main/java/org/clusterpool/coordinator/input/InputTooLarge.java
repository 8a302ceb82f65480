package org.clusterpool.coordinator.input;

/**
 * Inputs past a size limit ({@code clusterpool.input.*}, {@code clusterpool.http.max-results}): the
 * HTTP API answers 413.
 */
public final class InputTooLarge extends InputError {
  public InputTooLarge(String message) {
    super(message);
  }
}
