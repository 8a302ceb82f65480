package org.clusterpool.coordinator.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.clusterpool.coordinator.members.PoolSession;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.coordinator.pool.JobListener;
import org.clusterpool.coordinator.pool.ResultIterator;
import org.clusterpool.coordinator.pool.TaskFailedException;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.task.Task;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "map",
    description = {
      "Pool.map: run TASK on every input, print one result a line, in input order.",
      "INPUTS are values (7), ranges (1..100), comma lists (1,2,3), @FILE or - (one input a line)."
    })
final class MapCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "TASK",
      description = "A task of the catalog (see 'clusterpool tasks').")
  String taskName;

  @Parameters(index = "1..*", paramLabel = "INPUTS", description = "The inputs.")
  List<String> inputs;

  @Option(
      names = {"-c", "--chunksize"},
      paramLabel = "N",
      description =
          "Inputs per chunk, as Pool.map's chunksize (default: automatic, shrinking towards the"
              + " end).")
  Integer chunksize;

  @Option(
      names = "--unordered",
      description = "Print results as they complete (imap_unordered), not in input order.")
  boolean unordered;

  @Mixin PoolOptions pool = new PoolOptions();
  @Mixin OutputOptions output = new OutputOptions();

  @Override
  public Integer call() {
    Tasks.refuseOptions(spec, java.util.Arrays.asList(taskName));
    Tasks.refuseOptions(spec, inputs);
    if (chunksize != null && chunksize < 1)
      throw new UsageError("--chunksize must be at least 1, got " + chunksize);
    TaskCatalog catalog = pool.catalog();
    Task<?, ?> task = Tasks.named(catalog, taskName);
    return run(catalog, task);
  }

  private <I, O> int run(TaskCatalog catalog, Task<I, O> task) {
    if (pool.remote()) {
      ClusterTasks.check(
          pool.endpoint(), catalog, List.of(task)); // before any input is read or sent
      List<I> parsed = Main.inputParser().parse(task, inputs);
      CommandLine command = spec.commandLine();
      String fingerprint = catalog.entry(task.name()).orElseThrow().fingerprint();
      return RemoteMap.map(
          task,
          fingerprint,
          inputs,
          parsed,
          chunksize,
          !unordered,
          output,
          pool.endpoint(),
          command.getOut(),
          command.getErr());
    }
    List<I> parsed = pool.readWhileStarting(() -> Main.inputParser().parse(task, inputs));
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("task", task.name());
    header.put("inputs", parsed.size());
    header.put("chunksize", chunksize == null ? "auto" : chunksize);
    header.put("ordered", !unordered);
    long start = System.nanoTime();
    try (PoolSession session = pool.open()) {
      ClusterPool p = session.pool();
      header.put("workers", p.workerSlots());
      JobListener progress = ProgressBar.forTerminal(output.quiet);
      JobListener listener = new Notes(progress, output.quiet, spec.commandLine().getErr());
      int size = chunksize == null ? 0 : chunksize;
      try (ResultPrinter<O> printer =
          ResultPrinter.create(output.format, task.outputType(), out, header)) {
        try (ResultIterator<O> results = p.stream(task, parsed, size, !unordered, listener)) {
          while (results.hasNext()) {
            printer.print(results.next());
            printer.stopIfOutputClosed();
          }
        } catch (TaskFailedException e) {
          ProgressBar.clear(progress);
          printer.failed(e);
          printer.finish(trailer(start));
          throw e;
        }
        ProgressBar.clear(progress);
        printer.finish(trailer(start));
      }
    }
    return ExitCodes.OK;
  }

  /** The JSON output's last field: the command's time, to the millisecond. */
  static Map<String, Object> trailer(long start) {
    return Map.of("elapsed_seconds", Math.round((System.nanoTime() - start) / 1e6) / 1e3);
  }

  /** Passes progress on, and prints a note on standard error when a chunk runs again. */
  private record Notes(JobListener progress, boolean quiet, PrintWriter err)
      implements JobListener {
    @Override
    public void progress(String jobId, long done, long total) {
      progress.progress(jobId, done, total);
    }

    @Override
    public void chunkRetried(String jobId, long seq, int size, String reason) {
      if (quiet || Interruption.ending()) return; // nothing runs again: the command is ending
      ProgressBar.clear(progress);
      err.println("note: chunk " + seq + " (" + size + " inputs) runs again: " + reason);
      err.flush();
    }
  }
}
