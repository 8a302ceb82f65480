package org.clusterpool.coordinator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bench works: its scenarios are listed, and the cross-JVM ones run (quick, without python) and
 * print the transport's floor under their rows. Behaviour only: no figure is judged here.
 */
class BenchTest {

  @Test
  void everyScenarioIsListedOnceWithWhatItMeasures() {
    List<String> names = Bench.names();
    assertEquals(names.size(), new HashSet<>(names).size(), "unique names: " + names);
    assertTrue(
        names.containsAll(List.of("jvm-apply", "jvm-pipe", "jvm-throughput")), names.toString());
    List<String> described = Bench.describe();
    assertEquals(names.size(), described.size());
    for (int i = 0; i < names.size(); i++)
      assertTrue(described.get(i).startsWith(names.get(i) + " "), described.get(i));
  }

  @Test
  @Timeout(300)
  void theCrossJvmScenariosPrintTheirRowsWithTheTransportsFloorBeneath() {
    StringWriter table = new StringWriter();
    StringWriter progress = new StringWriter();
    Bench.run(
        List.of("jvm-pipe", "jvm-apply"),
        true,
        false,
        new PrintWriter(table),
        new PrintWriter(progress));
    List<String> lines = table.toString().lines().toList();
    assertFalse(table.toString().contains("failed:"), table.toString());
    int pipe = indexOf(lines, "pipe ping-pong across JVMs ");
    assertTrue(lines.get(pipe).contains("over the ends' direct connection"), lines.get(pipe));
    assertTrue(
        lines.get(pipe + 1).startsWith("  floor: Pekko ask, one at a time"), table.toString());
    assertTrue(
        lines.get(pipe + 2).startsWith("  floor: TCP ping-pong on loopback"), table.toString());
    assertTrue(lines.get(pipe + 3).startsWith("  floor: Unix socket ping-pong"), table.toString());
    int p50 = indexOf(lines, "apply square across JVMs, p50");
    assertTrue(lines.get(p50 + 1).startsWith("  floor: Pekko ask alone, p50"), table.toString());
    assertTrue(
        lines.get(p50 + 2).startsWith("  floor: TCP round trip alone, p50"), table.toString());
    for (String line : lines) {
      if (line.startsWith("  floor: ")) assertTrue(line.contains("no clusterpool code: "), line);
    }
  }

  @Test
  @Timeout(300)
  void theFirstResultRowHasTheStartUpFloorBeneath() {
    StringWriter table = new StringWriter();
    Bench.run(
        List.of("first-result"),
        true,
        false,
        new PrintWriter(table),
        new PrintWriter(new StringWriter()));
    List<String> lines = table.toString().lines().toList();
    assertFalse(table.toString().contains("failed:"), table.toString());
    int whole = indexOf(lines, "whole run: apply square 3 (first result)");
    assertTrue(
        lines.get(whole + 1).startsWith("  floor: JVM + bare Pekko actor system"),
        table.toString());
    assertTrue(lines.get(whole + 1).contains("no clusterpool code: "), table.toString());
  }

  private static int indexOf(List<String> lines, String start) {
    for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith(start)) return i;
    throw new AssertionError("no row " + start + " in\n" + String.join("\n", lines));
  }
}
