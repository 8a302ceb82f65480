package org.clusterpool.coordinator.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.task.Task;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "tasks",
    description = {
      "List the task catalog, one task a line: name, kind (cpu or async), input -> output, what it does, where it comes from.",
      "Your own tasks: --tasks PATH (a jar, or a directory of classes or jars), repeatable."
    })
final class TasksCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin TaskOptions tasks = new TaskOptions();

  @Override
  public Integer call() {
    List<TaskCatalog.Entry> entries = tasks.catalog().entries();
    int name = 16;
    int types = 20;
    int description = 0;
    for (TaskCatalog.Entry entry : entries) {
      Task<?, ?> task = entry.task();
      name = Math.max(name, task.name().length());
      types = Math.max(types, types(task).length());
      description = Math.max(description, task.description().length());
    }
    PrintWriter out = spec.commandLine().getOut();
    String line = "%-" + name + "s %-5s %-" + types + "s %-" + description + "s  %s%n";
    for (TaskCatalog.Entry entry : entries) {
      Task<?, ?> task = entry.task();
      out.printf(line, task.name(), task.kind().label(), types(task), task.description(), "from: " + entry.source().label());
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static String types(Task<?, ?> task) {
    return task.inputType().name() + " -> " + task.outputType().name();
  }
}
