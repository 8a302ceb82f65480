package org.clusterpool.coordinator.input;

import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.task.Task;

/** Task lookups for what a user typed: an unknown name is an {@link InputError} that echoes it and lists the accepted ones. */
public final class TaskNames {
  private TaskNames() {}

  public static Task<?, ?> get(TaskCatalog catalog, String name) {
    return catalog.find(name).orElseThrow(() -> new InputError(unknown(catalog, name)));
  }

  /** {@code unknown task 'carre': accepted: count-primes, fail, ...}. */
  public static String unknown(TaskCatalog catalog, String name) {
    return "unknown task " + Echo.quote(name) + ": accepted: " + String.join(", ", catalog.names());
  }
}
