package org.clusterpool.coordinator.scheduler;

import org.clusterpool.node.protocol.WorkUnit;

/** A unit as the coordinator tracks it: queued, or in flight on one worker until a deadline. */
final class UnitState {
  enum Status { QUEUED, IN_FLIGHT, DROPPED }

  final WorkUnit unit;
  final JobState job;
  Status status = Status.QUEUED;
  WorkerState worker;
  long deadlineNanos;
  /** Times this unit was lost (its worker stopped) or timed out. */
  int attempts;

  UnitState(WorkUnit unit, JobState job) {
    this.unit = unit;
    this.job = job;
  }

  int size() {
    return unit.inputs().size();
  }

  /** {@code chunk 3 (inputs 300..399)}: how a user finds it in their input. */
  String describe() {
    long first = unit.firstIndex();
    return "chunk " + unit.seq() + " (inputs " + first + ".." + (first + size() - 1) + ")";
  }
}
