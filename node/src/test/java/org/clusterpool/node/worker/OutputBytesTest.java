package org.clusterpool.node.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.clusterpool.node.task.ValueTypes;
import org.junit.jupiter.api.Test;

class OutputBytesTest {
  record Line(long n, String text) {}

  @Test
  void textIsMeasuredAsItIs() {
    OutputBytes sizes = new OutputBytes(ValueTypes.TEXT);
    assertEquals(1_000_005, sizes.of("x".repeat(1_000_000), 0));
    assertEquals(1, sizes.of(null, 1));
    assertEquals(9, new OutputBytes(ValueTypes.LONG).of(42L, 0));
  }

  @Test
  void recordsAreSampledAndGrowthIsFollowed() {
    OutputBytes sizes = new OutputBytes(ValueTypes.record(Line.class));
    long first = sizes.of(new Line(0, "x".repeat(100)), 0);
    assertTrue(first >= 100 && first < 200, () -> "a record of 100 characters: " + first);
    // output 2 is not sampled: it counts as the samples say, however large it is
    assertEquals(first, sizes.of(new Line(1, "x".repeat(100)), 1));
    assertEquals(first, sizes.of(new Line(2, "x".repeat(100_000)), 2));
    // output 3 is, and its growth counts at once, not averaged away
    long grown = sizes.of(new Line(3, "x".repeat(100_000)), 3);
    assertTrue(grown >= 100_000, () -> "a record of 100,000 characters: " + grown);
  }
}
