package org.clusterpool.coordinator.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.TaskCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "tasks", description = "List the task catalog: name, kind (cpu or async), input -> output, what it does.")
final class TasksCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    for (Task<?, ?> task : TaskCatalog.shared().all()) {
      String types = task.inputType().name() + " -> " + task.outputType().name();
      out.printf("%-16s %-5s %-20s %s%n", task.name(), task.kind().label(), types, task.description());
    }
    out.flush();
    return ExitCodes.OK;
  }
}
