package org.clusterpool.coordinator.input;

import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.TaskCatalog;

/** Task lookups for what a user typed: an unknown name is an {@link InputError} that echoes it and lists the accepted ones. */
public final class TaskNames {
  private TaskNames() {}

  public static Task<?, ?> get(String name) {
    return TaskCatalog.shared().find(name).orElseThrow(() -> new InputError(unknown(name)));
  }

  /** {@code unknown task 'carre': accepted: count-primes, fail, ...}. */
  public static String unknown(String name) {
    return "unknown task " + Echo.quote(name) + ": accepted: " + String.join(", ", TaskCatalog.shared().names());
  }
}
