package org.clusterpool.coordinator.cli;

import org.clusterpool.coordinator.input.TaskNames;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.task.Task;

/** Task lookups for commands: an unknown name is a usage error that lists the accepted ones. */
final class Tasks {
  private Tasks() {}

  static Task<?, ?> named(TaskCatalog catalog, String name) {
    return catalog.find(name).orElseThrow(() -> new UsageError(TaskNames.unknown(catalog, name)));
  }
}
