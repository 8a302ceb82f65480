package org.clusterpool.coordinator.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code clusterpool bench}: runs scenarios and prints one table, clusterpool beside its peers
 * measured in the same run. The machine may be shared and noisy: compare the ratios, not the
 * absolute figures.
 */
public final class Bench {
  private Bench() {}

  /** Names of the scenarios, for {@code --list} and for error messages. */
  public static List<String> describe() {
    List<String> lines = new ArrayList<>();
    for (Scenario s : Scenarios.ALL)
      lines.add(String.format("%-16s %s", s.name(), s.description()));
    return lines;
  }

  public static List<String> names() {
    return Scenarios.names();
  }

  /**
   * Runs the named scenarios (all when empty); progress goes to {@code log}, the table to {@code
   * out}.
   */
  public static void run(
      List<String> names, boolean quick, boolean withPython, PrintWriter out, PrintWriter log) {
    List<Scenario> chosen = new ArrayList<>();
    for (String name : names) {
      chosen.add(
          Scenarios.find(name)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "unknown scenario '"
                              + name
                              + "': accepted: "
                              + String.join(", ", Scenarios.names()))));
    }
    if (chosen.isEmpty()) chosen = Scenarios.ALL;
    PythonPeers python = withPython ? PythonPeers.find() : null;
    int workers = Runtime.getRuntime().availableProcessors();
    BenchContext context = new BenchContext(python, workers, quick, log);
    out.printf(
        "clusterpool bench: %d cores, Java %s, %s%n",
        workers,
        System.getProperty("java.version"),
        python != null
            ? "python3 peers measured in this run"
            : withPython ? "python3 not found: its column is empty" : "python3 peers skipped");
    out.flush();
    List<Row> rows = new ArrayList<>();
    for (Scenario scenario : chosen) {
      log.println("running " + scenario.name() + ": " + scenario.description());
      log.flush();
      try {
        rows.addAll(scenario.run(context));
      } catch (Exception | AssertionError e) {
        rows.add(new Row(scenario.name(), null, null, null, "failed: " + e.getMessage()));
      }
    }
    out.println();
    Table.print(rows, out);
  }
}
