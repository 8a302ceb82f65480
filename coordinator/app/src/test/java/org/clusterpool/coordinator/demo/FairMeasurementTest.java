package org.clusterpool.coordinator.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How the timing demos make their numbers worth showing, on given figures (no test times anything):
 * the work is sized from the fixed costs, the worker JVMs are warm when their rounds stop
 * improving, and a machine is called busy from evidence.
 */
class FairMeasurementTest {
  private static final CpuWorkload.Bounds BOUNDS = new CpuWorkload.Bounds(1.0, 2.5);

  @Test
  void cheapFixedCostsLeaveTheWorkAtItsFloor() {
    // 2 ms an input, a 1 ms round trip: the floor of one second already makes both small
    CpuWorkload work = CpuWorkload.size(30, 0.002, 0.001, 2, BOUNDS);
    assertEquals(500, work.inputs());
    assertEquals(1.0, work.oneThreadSeconds(), 1e-9);
    assertTrue(work.roundTripShare() <= CpuWorkload.FIXED_SHARE, work.toString());
    assertFalse(work.capped());
  }

  @Test
  void aDearRoundTripMakesTheWorkLongerUntilItIsAFewPercent() {
    CpuWorkload work = CpuWorkload.size(30, 0.002, 0.045, 2, BOUNDS); // 45 ms: 3% of 1.5 s
    assertEquals(750, work.inputs());
    assertEquals(CpuWorkload.FIXED_SHARE, work.roundTripShare(), 1e-9);
    assertFalse(work.capped());
  }

  @Test
  void dearInputsAreMadeManyEnoughThatTheLastOneIsAFewPercent() {
    // 40 ms an input on 2 ways: the last input alone must be 3% of one way's half at most: 2.67 s,
    // capped at 2.5 s
    CpuWorkload work = CpuWorkload.size(30, 0.04, 0.001, 2, BOUNDS);
    assertEquals(63, work.inputs());
    assertTrue(work.capped(), "the ceiling keeps the demo short, and says so");
    assertTrue(
        new CpuComparison.Result(
                work,
                new CpuComparison.FixedCosts(0.002, 0.001, List.of(1.0, 0.6)),
                null,
                null,
                null,
                null,
                null,
                null)
            .fixedCostLines()
            .get(3)
            .startsWith("    the work was capped at 2.52 s on one thread"));
  }

  @Test
  void theWorkIsNeverLessThanOneInputPerWay() {
    assertEquals(4, CpuWorkload.size(30, 10, 0, 4, new CpuWorkload.Bounds(0.1, 0.2)).inputs());
    assertThrows(IllegalArgumentException.class, () -> CpuWorkload.size(30, 0, 0, 2, BOUNDS));
  }

  @Test
  void theWorkerJvmsAreWarmWhenTheirRoundsStopImproving() {
    assertFalse(CpuComparison.settled(List.of(1.2), 1), "one round: nothing to compare");
    assertFalse(
        CpuComparison.settled(List.of(1.2, 0.8), 2), "a third faster: the JIT is still at work");
    assertTrue(CpuComparison.settled(List.of(1.2, 0.8, 0.79), 3));
    assertFalse(CpuComparison.settled(List.of(1.2, 0.8, 0.79), 4), "fewer rounds than asked for");
    assertFalse(
        CpuComparison.settled(List.of(0.8, 0.7, 0.9), 2),
        "a slow round after a fast one is noise, not warmth");
  }

  @Test
  void theJitWarmUpIsWhatTheFirstRoundCostBeyondTheBest() {
    CpuComparison.FixedCosts fixed =
        new CpuComparison.FixedCosts(0.030, 0.001, List.of(1.40, 0.70, 0.66, 0.67));
    assertEquals(0.74, fixed.jitWarmUp(), 1e-9);
    assertEquals(
        0.0, new CpuComparison.FixedCosts(0.03, 0.001, List.of(0.6, 0.7)).jitWarmUp(), 1e-9);
  }

  @Test
  void otherProcessesCoresAreTheMachinesBusyTimeLessTheDemosOwn() {
    // 2 cores for 2 s: 400 jiffies; 300 busy = 1.5 cores; the demo's JVMs used 2 s of cpu = 1 core:
    // others took 0.5
    MachineLoad.Snapshot before = new MachineLoad.Snapshot(0, 0.2, 1000, 5000, 10.0);
    MachineLoad.Snapshot after = new MachineLoad.Snapshot(2_000_000_000L, 1.3, 1300, 5400, 12.0);
    MachineLoad.Window window = MachineLoad.between(before, after, 2);
    assertEquals(0.5, window.othersCores(), 1e-9);
    assertEquals(0.2, window.loadBefore());
    assertEquals(1.3, window.loadAfter());
    MachineLoad.Snapshot unknown =
        new MachineLoad.Snapshot(2_000_000_000L, Double.NaN, -1, -1, 12.0);
    assertFalse(MachineLoad.between(before, unknown, 2).othersKnown());
  }

  @Test
  void aMachineIsBusyOnlyOnEvidence() {
    Quietness quiet = new Quietness(0.15, new MachineLoad.Window(2, 0.15, 1.8, 0.05), 0.02);
    assertFalse(quiet.busy(), quiet.summary().toString());
    assertTrue(quiet.summary().get(1).endsWith(": quiet."), quiet.summary().toString());
    assertTrue(
        quiet.summary().get(0).contains("load average 0.15 at the start, 1.80 at the end"),
        quiet.summary().toString());

    Quietness neighbours = new Quietness(0.15, new MachineLoad.Window(2, 0.15, 3.0, 0.9), 0.02);
    assertEquals(
        List.of("other processes took 0.90 of the 2 cores while it measured"),
        neighbours.reasons());

    Quietness jumpy = new Quietness(0.15, new MachineLoad.Window(2, 0.15, 3.0, 0.05), 0.25);
    assertEquals(List.of("one thread's time moved by 25% between rounds"), jumpy.reasons());

    // no /proc/stat: the load average before the demo is the evidence left
    Quietness blind = new Quietness(1.6, new MachineLoad.Window(2, 1.6, 2.0, Double.NaN), 0.02);
    assertEquals(
        List.of("the load average was 1.60 on 2 cores before the demo started"), blind.reasons());
    assertTrue(
        blind.summary().get(1).contains("unknown here (no /proc/stat)"),
        blind.summary().toString());
    assertFalse(
        new Quietness(
                Double.NaN, new MachineLoad.Window(2, Double.NaN, Double.NaN, Double.NaN), 0.02)
            .busy());
  }

  @Test
  void theBestRoundIsTheFigureAndTheSpreadTheNoise() {
    Repeats rounds = Repeats.of("1 thread", 1.10, 1.00, 1.05);
    assertEquals(1.00, rounds.best().seconds());
    assertEquals(0.10, rounds.spread(), 1e-9);
    assertEquals(4, rounds.plus(2.0).rounds());
  }
}
