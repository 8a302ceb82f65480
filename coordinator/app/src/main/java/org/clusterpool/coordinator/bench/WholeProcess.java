package org.clusterpool.coordinator.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a user waits for: the whole {@code clusterpool map square 1..10000000 --quiet} run, start-up
 * included, output discarded, beside the whole python3 script doing {@code Pool(2).map} and
 * printing.
 */
final class WholeProcess implements Scenario {
  static final int N = 10_000_000;

  @Override
  public String name() {
    return "whole-process";
  }

  @Override
  public String description() {
    return "the whole run of 'map square 1..10000000 --quiet', start-up included, output discarded";
  }

  @Override
  public List<Row> run(BenchContext context) throws Exception {
    List<String> command = clusterpoolCommand("map", "square", "1.." + N, "--quiet");
    int repeats = context.repeats(3);
    double[] ours = new double[repeats];
    ChildProcesses.wholeRunSeconds(command); // the first run may build the CDS archive
    for (int i = 0; i < repeats; i++) ours[i] = ChildProcesses.wholeRunSeconds(command);
    Figure python = null;
    if (context.hasPython()) {
      double[] theirs = new double[repeats];
      for (int i = 0; i < repeats; i++)
        theirs[i] =
            context
                .python()
                .wholeRunSeconds("whole", Integer.toString(N), Integer.toString(context.workers()));
      python = Figure.seconds(Samples.median(theirs));
    }
    double median = Samples.median(ours);
    return List.of(
        new Row(
            "whole run: map square 1..10M, printed",
            Figure.seconds(median),
            python,
            null,
            "wall time of the command, start-up included"),
        StartFloor.row(StartFloor.seconds(repeats), 0, "", median));
  }

  /**
   * {@code bin/clusterpool ARGS} when the bench was started by it, else the command line's main
   * class on this JVM's class path (a jar, or the built classes in tests).
   */
  static List<String> clusterpoolCommand(String... args) {
    String home = System.getProperty("clusterpool.home");
    if (home != null && Files.isExecutable(Path.of(home, "bin", "clusterpool"))) {
      List<String> command = new ArrayList<>();
      command.add(Path.of(home, "bin", "clusterpool").toString());
      command.addAll(List.of(args));
      return command;
    }
    return ChildProcesses.java(List.of(), "org.clusterpool.coordinator.cli.Main", args);
  }
}
