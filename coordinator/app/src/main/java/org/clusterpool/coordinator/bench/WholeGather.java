package org.clusterpool.coordinator.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/**
 * The whole {@code clusterpool gather} of 20,000 {@code sleep:1}, start-up included, beside the
 * whole python3 asyncio run.
 */
final class WholeGather implements Scenario {
  static final int CALLS = 20_000;

  @Override
  public String name() {
    return "whole-gather";
  }

  @Override
  public String description() {
    return "the whole run of 'gather' with 20,000 sleep:1, start-up included (python3:"
        + " asyncio.run)";
  }

  @Override
  public List<Row> run(BenchContext context) throws Exception {
    Path calls = Files.createTempFile("clusterpool-calls", ".txt");
    try {
      Files.write(calls, Collections.nCopies(CALLS, "sleep:1"));
      List<String> command = WholeProcess.clusterpoolCommand("gather", "@" + calls, "--quiet");
      int repeats = context.repeats(3);
      double[] ours = new double[repeats];
      ChildProcesses.wholeRunSeconds(command);
      for (int i = 0; i < repeats; i++) ours[i] = ChildProcesses.wholeRunSeconds(command);
      Figure python = null;
      if (context.hasPython()) {
        double[] theirs = new double[repeats];
        for (int i = 0; i < repeats; i++)
          theirs[i] =
              context.python().wholeRunSeconds("gather-whole", Integer.toString(CALLS), "1");
        python = Figure.seconds(Samples.median(theirs));
      }
      double median = Samples.median(ours);
      return List.of(
          new Row(
              "whole run: gather 20k sleep:1",
              Figure.seconds(median),
              python,
              null,
              "wall time of the command, start-up included"),
          StartFloor.row(StartFloor.seconds(repeats), 1.0, ", + 1 s of sleep", median));
    } finally {
      Files.deleteIfExists(calls);
    }
  }
}
