package org.clusterpool.coordinator.bench;

import java.util.List;

/**
 * The time a person waits for one answer: the whole {@code clusterpool apply square 3}, start-up
 * included, beside python3's whole {@code Pool(2).apply} script; and under it the floor of a JVM
 * start ({@link StartFloor}).
 */
final class FirstResult implements Scenario {
  @Override
  public String name() {
    return "first-result";
  }

  @Override
  public String description() {
    return "the whole run of 'apply square 3', start-up included (python3: a Pool(2).apply"
        + " script), and a bare Pekko actor system started and stopped";
  }

  @Override
  public List<Row> run(BenchContext context) throws Exception {
    int repeats = context.repeats(5);
    List<String> command = WholeProcess.clusterpoolCommand("apply", "square", "3");
    // the launcher's first run after a build makes the class-data archive: not a run to count
    if (command.get(0).endsWith("clusterpool")) ChildProcesses.wholeRunSeconds(command);
    double ours = median(command, repeats);
    double floor = StartFloor.seconds(repeats);
    Figure python = null;
    if (context.hasPython()) {
      double[] theirs = new double[repeats];
      for (int i = 0; i < repeats; i++)
        theirs[i] = context.python().wholeRunSeconds("apply-whole", "3", "2");
      python = Figure.seconds(Samples.median(theirs));
    }
    return List.of(
        new Row(
            "whole run: apply square 3 (first result)",
            Figure.seconds(ours),
            python,
            null,
            "wall time of the command, start-up included"),
        StartFloor.row(floor, 0, "", ours));
  }

  private static double median(List<String> command, int repeats) {
    double[] runs = new double[repeats];
    for (int i = 0; i < repeats; i++) runs[i] = ChildProcesses.wholeRunSeconds(command);
    return Samples.median(runs);
  }
}
