package org.clusterpool.coordinator.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultTotalsTest {

  @Test
  void addsWhatEachWorkerGrewByAndNeverGoesBack() {
    ResultTotals totals = new ResultTotals();
    assertEquals(30, totals.update(Map.of("a", 10L, "b", 20L)));
    assertEquals(45, totals.update(Map.of("a", 15L, "b", 30L)));
    assertEquals(45, totals.update(Map.of("a", 15L)), "a worker that left keeps what it added");
  }

  @Test
  void aLookThatGotNoAnswerDoesNotCountEveryWorkerAgain() {
    ResultTotals totals = new ResultTotals();
    assertEquals(30, totals.update(Map.of("a", 10L, "b", 20L)));
    assertEquals(30, totals.total(), "the coordinator did not answer: nothing changes");
    assertEquals(
        32, totals.update(Map.of("a", 11L, "b", 21L)), "only the growth since the last answer");
  }

  @Test
  void aCountStartedAgainIsAllNew() {
    ResultTotals totals = new ResultTotals();
    assertEquals(100, totals.update(Map.of("a", 100L)));
    assertEquals(
        105, totals.update(Map.of("a", 5L)), "a new coordinator counts from 0: its 5 are new");
    assertEquals(110, totals.update(Map.of("a", 10L)));
  }
}
