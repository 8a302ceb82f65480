package org.clusterpool.exercises.report;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clusterpool.exercises.harness.Measurement;

/**
 * The table every exercise prints: implementation, correct?, evidence, outcome, wall time,
 * operations per second, and the time as a multiple of the fastest correct implementation's.
 */
public final class ComparisonTable {
  private ComparisonTable() {}

  static final List<String> HEADERS =
      List.of(
          "implementation", "correct?", "evidence", "outcome", "wall time", "ops/s", "vs fastest");

  /** Columns printed flush right: the numbers. */
  private static final boolean[] RIGHT = {false, false, false, false, true, true, true};

  public static void print(List<Measurement> rows, PrintWriter out) {
    List<List<String>> cells = new ArrayList<>();
    cells.add(HEADERS);
    Optional<Measurement> fastest = Findings.fastestCorrect(rows);
    for (Measurement row : rows) cells.add(cells(row, fastest));
    int[] widths = new int[HEADERS.size()];
    for (List<String> line : cells) {
      for (int i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i], line.get(i).length());
    }
    for (int r = 0; r < cells.size(); r++) {
      out.println(format(cells.get(r), widths));
      if (r == 0) out.println("-".repeat(format(cells.get(0), widths).length()));
    }
  }

  static List<String> cells(Measurement row, Optional<Measurement> fastest) {
    boolean finished = row.outcome().finished();
    String correct = row.correct() ? "yes" : "no";
    String wall = finished ? Figures.duration(row.wallNanos()) : "-";
    String rate = finished ? Figures.rate(row.operationsPerSecond()) : "-";
    String ratio =
        finished && fastest.isPresent()
            ? Figures.times((double) row.wallNanos() / fastest.get().wallNanos())
            : "-";
    // a student's exception message reaches the evidence: escaped, so it cannot drive the terminal
    return List.of(
        OneLine.of(row.name()),
        correct,
        OneLine.of(row.verdict().evidence()),
        row.outcome().label(),
        wall,
        rate,
        ratio);
  }

  private static String format(List<String> line, int[] widths) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      if (i > 0) text.append("  ");
      String cell = line.get(i);
      String pad = " ".repeat(widths[i] - cell.length());
      boolean last = i == widths.length - 1;
      text.append(RIGHT[i] ? pad + cell : last ? cell : cell + pad);
    }
    return text.toString();
  }
}
