package org.clusterpool.coordinator.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.clusterpool.coordinator.input.Echo;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.catalog.TaskSource;
import org.clusterpool.node.task.Task;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "tasks",
    description = {
      "List the task catalog by where each task comes from, one task a line: name, kind (cpu or"
          + " async), input -> output,",
      "what it does. Your own tasks: --tasks PATH (a jar, or a directory of classes or jars),"
          + " repeatable."
    })
final class TasksCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin TaskOptions tasks = new TaskOptions();

  /** The most of a description shown: a task's jar writes it, and one line stays one line. */
  static final int MAX_DESCRIPTION = 240;

  /** Built in first, then the class path's, then the paths given, each group by name. */
  private static final Comparator<TaskSource> ORDER =
      Comparator.comparing((TaskSource s) -> s.kind().ordinal())
          .thenComparing(TaskSource::location);

  @Override
  public Integer call() {
    Map<TaskSource, List<Task<?, ?>>> bySource = new TreeMap<>(ORDER);
    for (TaskCatalog.Entry entry : tasks.catalog().entries()) {
      bySource.computeIfAbsent(entry.source(), s -> new ArrayList<>()).add(entry.task());
    }
    PrintWriter out = spec.commandLine().getOut();
    bySource.forEach(
        (source, list) -> {
          // a user's jar writes the description and the record names, a path names the source:
          // escaped, so that none of them can break a task's line or drive the terminal
          out.println(Echo.escaped(source.label()) + ":");
          for (Task<?, ?> task : list) {
            String types = task.inputType().name() + " -> " + task.outputType().name();
            out.printf(
                "  %-16s %-5s %-20s %s%n",
                Echo.escaped(task.name()),
                task.kind().label(),
                Echo.escaped(types),
                Echo.cut(task.description(), MAX_DESCRIPTION));
          }
        });
    out.flush();
    return ExitCodes.OK;
  }
}
