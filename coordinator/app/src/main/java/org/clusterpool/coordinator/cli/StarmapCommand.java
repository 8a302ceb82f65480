package org.clusterpool.coordinator.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.clusterpool.node.task.Task;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "starmap",
    description = {
      "Pool.starmap: each TUPLE holds the arguments of one call, separated by commas.",
      "Example: clusterpool starmap pow 2,10 3,4 10,3"
    })
final class StarmapCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "TASK",
      description = "A task whose input is a tuple (see 'clusterpool tasks').")
  String taskName;

  @Parameters(index = "1..*", paramLabel = "TUPLES", description = "Argument tuples, like 2,10.")
  List<String> tuples;

  @Option(
      names = {"-c", "--chunksize"},
      paramLabel = "N",
      description = "Tuples per chunk (default: automatic).")
  Integer chunksize;

  @Mixin PoolOptions pool = new PoolOptions();
  @Mixin OutputOptions output = new OutputOptions();

  @Override
  public Integer call() {
    Tasks.refuseOptions(spec, java.util.Arrays.asList(taskName));
    Tasks.refuseOptions(spec, tuples);
    Task<?, ?> task = Tasks.named(pool.catalog(), taskName);
    if (!Record.class.isAssignableFrom(task.inputType().javaType())) {
      throw new UsageError(
          "starmap needs a task whose input is a tuple; '"
              + task.name()
              + "' takes one "
              + task.inputType().name()
              + ": use 'clusterpool map'");
    }
    MapCommand map = new MapCommand();
    map.spec = spec;
    map.taskName = taskName;
    map.inputs = tuples;
    map.chunksize = chunksize;
    map.pool = pool;
    map.output = output;
    return map.call();
  }
}
