package org.clusterpool.coordinator.input;

import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.catalog.TaskSource;
import org.clusterpool.node.task.Task;

/** Task lookups for what a user typed: an unknown name is an {@link InputError} that echoes it and lists the accepted ones. */
public final class TaskNames {
  private TaskNames() {}

  public static Task<?, ?> get(TaskCatalog catalog, String name) {
    return catalog.find(name).orElseThrow(() -> new InputError(unknown(catalog, name)));
  }

  /**
   * {@code unknown task 'carre': accepted: count-primes, fail, ...}, and where a task of one's own comes from while the
   * catalog has none: the command line and the HTTP API say the same.
   */
  public static String unknown(TaskCatalog catalog, String name) {
    boolean ownTasks = catalog.entries().stream().anyMatch(e -> e.source().kind() == TaskSource.Kind.TASK_PATH);
    return "unknown task " + Echo.quote(name) + ": accepted: " + String.join(", ", catalog.names())
        + (ownTasks ? "" : " (a task of your own: give its jar with --tasks PATH)");
  }
}
