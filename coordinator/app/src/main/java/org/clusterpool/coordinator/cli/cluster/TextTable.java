package org.clusterpool.coordinator.cli.cluster;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Rows printed as aligned columns: numbers to the right, text to the left. */
final class TextTable {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  TextTable(String... header) {
    this.header = List.of(header);
  }

  TextTable row(Object... cells) {
    List<String> row = new ArrayList<>();
    for (Object cell : cells) row.add(cell == null ? "-" : cell.toString());
    rows.add(row);
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintWriter out, String indent) {
    int[] widths = new int[header.size()];
    boolean[] numeric = new boolean[header.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = header.get(c).length();
      numeric[c] = !rows.isEmpty();
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], row.get(c).length());
        numeric[c] &= row.get(c).matches("-?[0-9]+(\\.[0-9]+)?|-");
      }
    }
    line(out, indent, header, widths, numeric);
    for (List<String> row : rows) line(out, indent, row, widths, numeric);
  }

  private static void line(
      PrintWriter out, String indent, List<String> cells, int[] widths, boolean[] numeric) {
    StringBuilder text = new StringBuilder(indent);
    for (int c = 0; c < widths.length; c++) {
      String cell = cells.get(c);
      String pad = " ".repeat(widths[c] - cell.length());
      text.append(numeric[c] ? pad + cell : cell + pad);
      if (c < widths.length - 1) text.append("  ");
    }
    out.println(text.toString().stripTrailing());
  }
}
