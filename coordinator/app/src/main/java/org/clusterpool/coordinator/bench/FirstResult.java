package org.clusterpool.coordinator.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The time a person waits for one answer: the whole {@code clusterpool apply square 3}, start-up
 * included, beside python3's whole {@code Pool(2).apply} script; and under it the floor of a JVM
 * start, a JVM that starts a bare Pekko actor system and stops it, with the same class-data archive
 * as this run's.
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
    ChildProcesses.wholeRunSeconds(command); // the first run may build the class-data archive
    double ours = median(command, repeats);
    double floor = median(floorCommand(), repeats);
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
        new Row(
            "  floor: JVM + bare Pekko actor system",
            Figure.seconds(floor),
            null,
            null,
            String.format(
                Locale.ROOT,
                "no clusterpool code: %.0f%% of the row above; clusterpool adds %.0f ms (command"
                    + " line, logging, coordinator, workers, the job)",
                100 * floor / ours,
                1000 * (ours - floor))));
  }

  private static double median(List<String> command, int repeats) {
    double[] runs = new double[repeats];
    for (int i = 0; i < repeats; i++) runs[i] = ChildProcesses.wholeRunSeconds(command);
    return Samples.median(runs);
  }

  /**
   * {@link ActorSystemFloor} in a JVM as this one was started: the same JVM, options and class path
   * (so the same class-data archive, when there is one).
   */
  private static List<String> floorCommand() {
    List<String> options = new ArrayList<>();
    for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (argument.startsWith("-XX:") || argument.startsWith("-Xlog:") || argument.startsWith("--"))
        options.add(argument);
    }
    return ChildProcesses.java(options, ActorSystemFloor.class.getName());
  }
}
