package org.clusterpool.coordinator.scheduler;

import org.clusterpool.node.protocol.ClusterStatus;

/**
 * What went wrong so far and was handled, counted for the status answer: each count says how often
 * it happened.
 */
final class Counters {
  private long lateResults;
  private long badMessages;
  private long lostAnswers;
  private long unitsRetried;
  private long jobsFailedForNoWorker;

  /** A result came for a unit answered already, or of a job that ended. */
  void lateResult() {
    lateResults++;
  }

  /** A message failed a check and was dropped; returns how many were so far. */
  long badMessage() {
    return ++badMessages;
  }

  void answersLost(int units) {
    lostAnswers += units;
  }

  void unitRetried() {
    unitsRetried++;
  }

  void jobFailedForNoWorker() {
    jobsFailedForNoWorker++;
  }

  ClusterStatus.Counters toStatus(long incarnation, long workersLost) {
    return new ClusterStatus.Counters(
        incarnation,
        lateResults,
        badMessages,
        lostAnswers,
        unitsRetried,
        workersLost,
        jobsFailedForNoWorker);
  }
}
