package org.clusterpool.coordinator.cli;

import org.clusterpool.coordinator.input.TaskNames;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.TaskCatalog;

/** Task lookups for commands: an unknown name is a usage error that lists the accepted ones. */
final class Tasks {
  private Tasks() {}

  static Task<?, ?> named(String name) {
    return TaskCatalog.shared().find(name).orElseThrow(() -> new UsageError(TaskNames.unknown(name)));
  }
}
