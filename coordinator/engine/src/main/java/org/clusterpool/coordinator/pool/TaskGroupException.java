package org.clusterpool.coordinator.pool;

import java.util.List;

/**
 * A task group failed: like Python's {@code ExceptionGroup}, it carries every call that failed
 * before the rest were cancelled. The first failure is the cause.
 */
public final class TaskGroupException extends RuntimeException {
  private final List<Throwable> failures;

  TaskGroupException(List<Throwable> failures, int cancelled) {
    super(
        "task group failed: "
            + failures.size()
            + (failures.size() == 1 ? " call" : " calls")
            + " failed, "
            + cancelled
            + " cancelled: "
            + summary(failures),
        failures.get(0));
    this.failures = List.copyOf(failures);
  }

  public List<Throwable> failures() {
    return failures;
  }

  private static String summary(List<Throwable> failures) {
    StringBuilder text = new StringBuilder();
    for (Throwable failure : failures) {
      if (text.length() > 0) text.append("; ");
      text.append(failure.getMessage());
    }
    return text.toString();
  }
}
