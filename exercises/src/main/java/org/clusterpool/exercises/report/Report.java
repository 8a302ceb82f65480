package org.clusterpool.exercises.report;

import java.io.PrintWriter;
import java.util.List;
import org.clusterpool.exercises.harness.Measurement;

/** What one exercise run prints: a heading, the comparison table, then what the numbers show. */
public record Report(String heading, List<Measurement> measurements, List<String> findings) {

  public Report {
    measurements = List.copyOf(measurements);
    findings = List.copyOf(findings);
  }

  /** Every student implementation (the rows that are not references) finished and was correct. */
  public boolean studentsPassed() {
    return measurements.stream().filter(m -> !m.reference()).allMatch(Measurement::correct);
  }

  public void print(PrintWriter out) {
    out.println(heading);
    out.println();
    ComparisonTable.print(measurements, out);
    out.println();
    // findings quote the solutions' own words (an exception's message): one line each, escaped
    for (String finding : findings) out.println("- " + OneLine.of(finding, Integer.MAX_VALUE));
    out.flush();
  }
}
