package org.clusterpool.coordinator.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The floor of every whole run: a JVM that starts a bare Pekko actor system and stops it ({@link
 * ActorSystemFloor}), started as this JVM was (the same JVM, options and class path, so the same
 * class-data archive when there is one), measured in the same run as the row it goes under.
 */
final class StartFloor {
  private StartFloor() {}

  /** The median wall time of {@code repeats} such JVMs, one after the other. */
  static double seconds(int repeats) {
    List<String> options = new ArrayList<>();
    for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (argument.startsWith("-XX:") || argument.startsWith("-Xlog:") || argument.startsWith("--"))
        options.add(argument);
    }
    List<String> command = ChildProcesses.java(options, ActorSystemFloor.class.getName());
    double[] runs = new double[repeats];
    for (int i = 0; i < repeats; i++) runs[i] = ChildProcesses.wholeRunSeconds(command);
    return Samples.median(runs);
  }

  /**
   * The floor's row under a whole run's: {@code extra} seconds that the run cannot go without
   * either (the 1 s its calls sleep), added to the floor.
   */
  static Row row(double floor, double extra, String what, double ours) {
    double bound = floor + extra;
    return new Row(
        "  floor: JVM + bare Pekko actor system" + what,
        Figure.seconds(bound),
        null,
        null,
        String.format(
            Locale.ROOT,
            "no clusterpool code: %.0f%% of the row above; clusterpool adds %.0f ms (command line,"
                + " logging, coordinator, workers, the job)",
            100 * bound / ours,
            1000 * (ours - bound)));
  }
}
