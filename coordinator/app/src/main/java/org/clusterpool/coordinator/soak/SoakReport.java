package org.clusterpool.coordinator.soak;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Tallies the jobs of a soak and prints them, with the faults injected, as one table. */
final class SoakReport {
  private static final class Row {
    long jobs;
    long checked;
    long lost;
    long duplicated;
    long wrong;
    long failed;
    long notEnded;
  }

  private final Map<String, Row> rows = new LinkedHashMap<>();
  private final List<String> examples = new ArrayList<>();

  synchronized void add(SoakJobs.Outcome outcome) {
    Row row = rows.computeIfAbsent(outcome.kind(), k -> new Row());
    row.jobs++;
    row.checked += outcome.checked();
    row.lost += outcome.lost();
    row.duplicated += outcome.duplicated();
    row.wrong += outcome.wrong();
    if (!outcome.ended()) row.notEnded++;
    else if (outcome.unexpected() != null) row.failed++;
    if (outcome.unexpected() != null && examples.size() < 5)
      examples.add(outcome.kind() + ": " + outcome.unexpected());
  }

  /**
   * True when nothing was lost, doubled, wrong, failed unexpectedly, or left waiting past its
   * bound.
   */
  synchronized boolean clean() {
    for (Row r : rows.values())
      if (r.lost + r.duplicated + r.wrong + r.failed + r.notEnded > 0) return false;
    return true;
  }

  synchronized long jobs() {
    return rows.values().stream().mapToLong(r -> r.jobs).sum();
  }

  synchronized void print(PrintWriter out, Map<Faults.Kind, Integer> faults) {
    String format = "%-16s %8s %16s %8s %11s %8s %12s %23s%n";
    out.printf(
        Locale.ROOT,
        format,
        "jobs",
        "run",
        "results checked",
        "lost",
        "duplicated",
        "wrong",
        "failed",
        "did not end in bound");
    Row all = new Row();
    for (Map.Entry<String, Row> e : rows.entrySet()) {
      Row r = e.getValue();
      line(out, format, e.getKey(), r);
      all.jobs += r.jobs;
      all.checked += r.checked;
      all.lost += r.lost;
      all.duplicated += r.duplicated;
      all.wrong += r.wrong;
      all.failed += r.failed;
      all.notEnded += r.notEnded;
    }
    line(out, format, "all", all);
    out.println();
    out.printf(Locale.ROOT, "%-34s %8s%n", "faults injected", "count");
    int total = 0;
    for (Faults.Kind kind : Faults.Kind.values()) {
      int n = faults.getOrDefault(kind, 0);
      total += n;
      out.printf(Locale.ROOT, "%-34s %8d%n", kind.label, n);
    }
    out.printf(Locale.ROOT, "%-34s %8d%n", "all", total);
    if (!examples.isEmpty()) {
      out.println();
      out.println("unexpected failures and late jobs, the first few:");
      for (String e : examples) out.println("  " + e);
    }
  }

  private static void line(PrintWriter out, String format, String name, Row r) {
    out.printf(
        Locale.ROOT,
        format,
        name,
        r.jobs,
        r.checked,
        r.lost,
        r.duplicated,
        r.wrong,
        r.failed,
        r.notEnded);
  }
}
