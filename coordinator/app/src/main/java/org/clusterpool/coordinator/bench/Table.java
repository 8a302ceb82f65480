package org.clusterpool.coordinator.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Prints rows side by side, with clusterpool's ratio to python3 where both were measured. */
final class Table {
  private Table() {}

  static void print(List<Row> rows, PrintWriter out) {
    int width = Math.max(38, rows.stream().mapToInt(r -> r.scenario().length()).max().orElse(0));
    String format = "%-" + width + "s  %14s  %14s  %14s  %11s  %s%n";
    out.printf(
        format, "scenario", "clusterpool", "python3", "java executor", "vs python3", "notes");
    out.println("-".repeat(width + 2 + 14 * 3 + 6 + 11 + 2 + 5));
    for (Row row : rows) {
      String ratio =
          row.clusterpool() != null && row.python() != null
              ? String.format(Locale.ROOT, "%.2fx", row.clusterpool().timesBetterThan(row.python()))
              : "";
      out.printf(
          format,
          row.scenario(),
          cell(row.clusterpool()),
          cell(row.python()),
          cell(row.java()),
          ratio,
          row.note() == null ? "" : row.note());
    }
    out.flush();
  }

  private static String cell(Figure figure) {
    return figure == null ? "-" : figure.toString();
  }
}
