package org.clusterpool.coordinator.scheduler;

import java.util.ArrayList;
import java.util.List;
import org.clusterpool.node.protocol.WorkUnit;

/**
 * A unit as the coordinator tracks it: queued, or in flight on one worker until a deadline. A unit that
 * was on a worker when it crashed is a suspect: it runs alone (quarantined) until it proves innocent.
 */
final class UnitState {
  enum Status { QUEUED, IN_FLIGHT, DROPPED }

  final WorkUnit unit;
  final JobState job;
  Status status = Status.QUEUED;
  WorkerState worker;
  long deadlineNanos;
  /** Times this unit passed its deadline. */
  int attempts;
  /** Workers that crashed while they held this unit. */
  final List<String> crashedWorkers = new ArrayList<>(0);
  /** Whether it waits in its job's queue of suspects rather than the main queue. */
  boolean suspectQueued;

  UnitState(WorkUnit unit, JobState job) {
    this.unit = unit;
    this.job = job;
  }

  int size() {
    return unit.inputs().size();
  }

  boolean isSuspect() {
    return !crashedWorkers.isEmpty();
  }

  /** {@code chunk 3 (inputs 300..399)}: how a user finds it in their input. */
  String describe() {
    long first = unit.firstIndex();
    return "chunk " + unit.seq() + " (inputs " + first + ".." + (first + size() - 1) + ")";
  }
}
