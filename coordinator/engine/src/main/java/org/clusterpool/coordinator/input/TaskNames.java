package org.clusterpool.coordinator.input;

import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.catalog.TaskNotAllowedException;
import org.clusterpool.node.catalog.TaskSource;
import org.clusterpool.node.task.Task;

/**
 * Task lookups for what a user typed: an unknown name is an {@link InputError} that echoes it and
 * lists the accepted ones.
 */
public final class TaskNames {
  private TaskNames() {}

  /**
   * The task named so; an unknown one is an {@link InputError}, one the catalog's config does not
   * allow ({@code clusterpool.tasks.allowed}) a {@link TaskNotAllowedException} (403 on the HTTP
   * API).
   */
  public static Task<?, ?> get(TaskCatalog catalog, String name) {
    Task<?, ?> task = catalog.find(name).orElseThrow(() -> new InputError(unknown(catalog, name)));
    catalog.allowed().check(name);
    return task;
  }

  /**
   * {@code unknown task 'carre': accepted: count-primes, fail, ...}, and where a task of one's own
   * comes from while the catalog has none: the command line and the HTTP API say the same.
   */
  public static String unknown(TaskCatalog catalog, String name) {
    boolean ownTasks =
        catalog.entries().stream().anyMatch(e -> e.source().kind() == TaskSource.Kind.TASK_PATH);
    return "unknown task "
        + Echo.quote(name)
        + ": accepted: "
        + String.join(", ", catalog.names())
        + (ownTasks ? "" : " (a task of your own: give its jar with --tasks PATH)");
  }
}
