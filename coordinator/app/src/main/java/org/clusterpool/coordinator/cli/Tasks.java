package org.clusterpool.coordinator.cli;

import java.util.List;
import org.clusterpool.coordinator.input.Echo;
import org.clusterpool.coordinator.input.TaskNames;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.task.Task;
import picocli.CommandLine.Model.CommandSpec;

/** Task lookups for commands: an unknown name is a usage error that lists the accepted ones. */
final class Tasks {
  private Tasks() {}

  static Task<?, ?> named(TaskCatalog catalog, String name) {
    return catalog.find(name).orElseThrow(() -> new UsageError(TaskNames.unknown(catalog, name)));
  }

  /**
   * Refuses an argument that looks like an option, as picocli would: the commands that read unknown
   * arguments as inputs (so that -5..-1 is one) do it themselves. A '-' followed by a digit or a
   * dot is a negative input, and '-' alone is standard input.
   */
  static void refuseOptions(CommandSpec spec, List<String> args) {
    if (args == null) return;
    for (String arg : args) {
      if (arg != null && arg.length() > 1 && arg.charAt(0) == '-') {
        char next = arg.charAt(1);
        if (!Character.isDigit(next) && next != '.') {
          String command = spec.qualifiedName();
          throw new UsageError(
              "Unknown option: "
                  + Echo.quote(arg)
                  + " (see '"
                  + command
                  + " --help'); a negative input like -5..-1 is taken as an input");
        }
      }
    }
  }
}
