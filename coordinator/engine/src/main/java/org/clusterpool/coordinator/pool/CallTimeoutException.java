package org.clusterpool.coordinator.pool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * {@code asyncio.TimeoutError}: the calls did not finish in time and were cancelled. Names them.
 */
public final class CallTimeoutException extends RuntimeException {
  private final List<String> unfinished;

  CallTimeoutException(Duration timeout, List<String> unfinished) {
    super(
        "timed out after "
            + format(timeout)
            + ": "
            + String.join(", ", unfinished)
            + " did not finish and "
            + (unfinished.size() == 1 ? "was" : "were")
            + " cancelled",
        new TimeoutException());
    this.unfinished = List.copyOf(unfinished);
  }

  /** The calls that were still running, as {@code task:input}. */
  public List<String> unfinished() {
    return unfinished;
  }

  static String format(Duration timeout) {
    long millis = timeout.toMillis();
    return millis % 1000 == 0 ? (millis / 1000) + " s" : (millis / 1000.0) + " s";
  }
}
