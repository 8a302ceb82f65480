package org.clusterpool.coordinator.cli;

import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.TaskCatalog;
import org.clusterpool.node.task.UnknownTaskException;

/** Task lookups for commands: an unknown name is a usage error that lists the accepted ones. */
final class Tasks {
  private Tasks() {}

  static Task<?, ?> named(String name) {
    try {
      return TaskCatalog.shared().get(name);
    } catch (UnknownTaskException e) {
      throw new UsageError(e.getMessage());
    }
  }
}
