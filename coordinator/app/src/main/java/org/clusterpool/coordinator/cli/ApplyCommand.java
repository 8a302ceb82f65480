package org.clusterpool.coordinator.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.clusterpool.coordinator.members.PoolSession;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.coordinator.pool.TaskFailedException;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.task.Task;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "apply",
    description = "Pool.apply: run TASK on one INPUT on some worker and print the result.")
final class ApplyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "TASK",
      description = "A task of the catalog (see 'clusterpool tasks').")
  String taskName;

  @Parameters(index = "1", paramLabel = "INPUT", description = "One input.")
  String input;

  @Mixin PoolOptions pool = new PoolOptions();
  @Mixin OutputOptions output = new OutputOptions();

  @Override
  public Integer call() {
    Tasks.refuseOptions(spec, java.util.Arrays.asList(taskName, input));
    TaskCatalog catalog = pool.catalog();
    return run(catalog, Tasks.named(catalog, taskName));
  }

  private <I, O> int run(TaskCatalog catalog, Task<I, O> task) {
    if (pool.remote()) {
      ClusterTasks.check(pool.endpoint(), catalog, List.of(task));
      List<I> parsed = one(task);
      String fingerprint = catalog.entry(task.name()).orElseThrow().fingerprint();
      return RemoteMap.apply(
          task,
          fingerprint,
          input,
          parsed.get(0),
          output,
          pool.endpoint(),
          spec.commandLine().getOut());
    }
    List<I> parsed = pool.readWhileStarting(() -> one(task));
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("task", task.name());
    header.put("input", input);
    long start = System.nanoTime();
    try (PoolSession session = pool.open()) {
      ClusterPool p = session.pool();
      try (ResultPrinter<O> printer =
          ResultPrinter.create(output.format, task.outputType(), out, header)) {
        try {
          printer.print(p.apply(task, parsed.get(0)));
        } catch (TaskFailedException e) {
          printer.failed(e);
          printer.finish(MapCommand.trailer(start));
          throw e;
        }
        printer.finish(MapCommand.trailer(start));
      }
    }
    return ExitCodes.OK;
  }

  /**
   * INPUT read by the task's input type: one input, as {@code Pool.apply} takes (a range or a list
   * is refused).
   */
  private <I> List<I> one(Task<I, ?> task) {
    List<I> parsed = Main.inputParser().parse(task, List.of(input));
    if (parsed.size() != 1)
      throw new UsageError("apply takes one input, got " + parsed.size() + "; use 'map' for many");
    return parsed;
  }
}
