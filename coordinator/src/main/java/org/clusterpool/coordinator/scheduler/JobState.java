package org.clusterpool.coordinator.scheduler;

import java.util.ArrayDeque;
import org.apache.pekko.actor.typed.ActorRef;
import org.clusterpool.node.protocol.JobEvent;
import org.clusterpool.node.task.TaskKind;

/** One job at the coordinator: its queue of units and what is known of its cost. */
final class JobState {
  final String jobId;
  final String task;
  final TaskKind kind;
  final ActorRef<JobEvent> client;
  final ArrayDeque<UnitState> queue = new ArrayDeque<>();
  int queued;
  /** Units that were on a crashed worker: they run one at a time, alone, see {@code Coordinator}. */
  final ArrayDeque<UnitState> suspects = new ArrayDeque<>();
  int suspectsQueued;
  int inFlight;
  boolean lastChunkReceived;
  /** Whether the job waits in the coordinator's round of jobs with queued units. */
  boolean inRound;
  long inputsDone;
  int retries;
  /** Smoothed compute time per input, from the workers' reports; 0 until the first result. */
  double nanosPerInput;

  JobState(String jobId, String task, TaskKind kind, ActorRef<JobEvent> client) {
    this.jobId = jobId;
    this.task = task;
    this.kind = kind;
    this.client = client;
  }

  void enqueue(UnitState unit) {
    queue.addLast(unit);
    queued++;
  }

  /** A unit that runs again goes first: ordered consumers wait for it. */
  void requeue(UnitState unit) {
    unit.status = UnitState.Status.QUEUED;
    unit.worker = null;
    unit.suspectQueued = false;
    queue.addFirst(unit);
    queued++;
  }

  void requeueSuspect(UnitState unit) {
    unit.status = UnitState.Status.QUEUED;
    unit.worker = null;
    unit.suspectQueued = true;
    suspects.addLast(unit);
    suspectsQueued++;
  }

  UnitState pollSuspect() {
    UnitState unit;
    while ((unit = suspects.pollFirst()) != null) {
      if (unit.status == UnitState.Status.QUEUED) {
        suspectsQueued--;
        return unit;
      }
    }
    return null;
  }

  /** The next unit to run, skipping those whose result came in while they waited for a rerun. */
  UnitState poll() {
    UnitState unit;
    while ((unit = queue.pollFirst()) != null) {
      if (unit.status == UnitState.Status.QUEUED) {
        queued--;
        return unit;
      }
    }
    return null;
  }

  UnitState peek() {
    UnitState unit;
    while ((unit = queue.peekFirst()) != null && unit.status != UnitState.Status.QUEUED) queue.pollFirst();
    return unit;
  }

  void dropQueued(UnitState unit) {
    unit.status = UnitState.Status.DROPPED;
    if (unit.suspectQueued) suspectsQueued--;
    else queued--;
  }

  /** Whether a worker could get work from this job now: suspects only when none runs in quarantine. */
  boolean hasWork(boolean quarantineFree) {
    return queued > 0 || (quarantineFree && suspectsQueued > 0);
  }

  boolean isFinished() {
    return lastChunkReceived && queued == 0 && suspectsQueued == 0 && inFlight == 0;
  }

  void recordCost(long nanos, int inputs) {
    if (inputs == 0) return;
    double sample = (double) nanos / inputs;
    nanosPerInput = nanosPerInput == 0 ? sample : 0.7 * nanosPerInput + 0.3 * sample;
  }

  boolean costKnown() {
    return nanosPerInput > 0;
  }

  double estimateNanos(UnitState unit) {
    return nanosPerInput * unit.size();
  }
}
