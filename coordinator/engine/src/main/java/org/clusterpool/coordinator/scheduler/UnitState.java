package org.clusterpool.coordinator.scheduler;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.protocol.JobEvent;
import org.clusterpool.node.protocol.UnitResult;
import org.clusterpool.node.protocol.WorkUnit;
import org.clusterpool.node.wire.Values;

/**
 * A unit as the coordinator tracks it: queued, or in flight on one worker until a deadline, until
 * each of its inputs has a result. A unit that was on a worker when it crashed is a suspect: it
 * runs in quarantine, within its {@link SuspectGroup}, until it proves innocent.
 */
final class UnitState {
  enum Status {
    QUEUED,
    IN_FLIGHT,
    DONE
  }

  /** What a worker is sent; its id changes when an attempt is stopped ({@link #renumber}). */
  WorkUnit unit;

  final JobState job;
  final Answered answered;
  Status status = Status.QUEUED;

  /** The worker of the current attempt, and the assignment that carried it there. */
  WorkerState worker;

  long assignSeq;
  long sentNanos;
  long deadlineNanos;

  /**
   * The current attempt for {@link ActivityLog}: sent when (epoch ms), to whom while its span is
   * unwritten (else null).
   */
  long sentMillis;

  WorkerState spanWorker;

  /** Some inputs of the unit failed (the task threw on them): its span ends FAILED. */
  boolean inputsFailed;

  /** Times this unit passed its deadline. */
  int timeouts;

  /** Times a worker neither held nor answered this unit: its assignment or answer was lost. */
  int losses;

  /**
   * The ids of its attempts stopped on their worker ({@link #renumber}): a late result under one of
   * them still counts.
   */
  final List<Long> earlierIds = new ArrayList<>(0);

  /** Every worker that held an attempt: a result is taken only from one of them. */
  final Set<WorkerState> holders = new HashSet<>(2);

  /**
   * Whether it waits in its job's queue (a unit may leave it before its turn: answered, or put in
   * quarantine).
   */
  boolean inJobQueue;

  /** The suspect group it runs in, or null. */
  SuspectGroup group;

  /**
   * Crashes it was in without being charged, taken for a bystander of a suspect that crashed its
   * node ({@link Suspects}): counted, so that a unit that kills is not let off for ever.
   */
  int unchargedCrashes;

  UnitState(WorkUnit unit, JobState job) {
    this(unit, job, new Answered(unit.inputs().size()));
  }

  private UnitState(WorkUnit unit, JobState job, Answered answered) {
    this.unit = unit;
    this.job = job;
    this.answered = answered;
  }

  long id() {
    return unit.unitId();
  }

  int size() {
    return unit.inputs().size();
  }

  /** Inputs still without a result. */
  int open() {
    return answered.remaining();
  }

  boolean isSuspect() {
    return group != null;
  }

  /**
   * The unit cut in two near its middle, as new units with new ids over the inputs still open in
   * each half; a half with none open is left out. Used to narrow a crash down to its input.
   */
  List<UnitState> halves(IdSource ids) {
    int middle = Math.max(1, size() / 2);
    List<UnitState> halves = new ArrayList<>(2);
    for (int[] range : new int[][] {{0, middle}, {middle, size()}}) {
      Answered part = new Answered(range[1] - range[0]);
      for (int i = range[0]; i < range[1]; i++) {
        if (answered.isAnswered(i)) part.claim(i - range[0], 1);
      }
      if (part.complete()) continue;
      WorkUnit u = unit;
      WorkUnit piece =
          new WorkUnit(
              ids.next(),
              u.jobId(),
              u.task(),
              u.fingerprint(),
              u.seq(),
              u.offset() + range[0],
              u.firstIndex() + range[0],
              u.inputs().slice(range[0], range[1]));
      halves.add(new UnitState(piece, job, part));
    }
    return halves;
  }

  /**
   * The parts of the result whose inputs had no result yet, claimed now, as the client gets them;
   * none when every input of it was answered already (a late or repeated result). A part with
   * errors marks the unit's span FAILED.
   */
  List<JobEvent.PartDone> claim(UnitResult result, String workerLabel) {
    int n = result.outputs().size();
    List<JobEvent.PartDone> parts = new ArrayList<>(1);
    for (int[] range : answered.claim(result.offset(), n)) {
      int from = range[0] - result.offset();
      int to = range[1] - result.offset();
      boolean all = from == 0 && to == n;
      Values outputs = all ? result.outputs() : result.outputs().slice(from, to);
      List<ElementError> errors = all ? result.errors() : errorsWithin(result.errors(), from, to);
      if (!errors.isEmpty()) inputsFailed = true;
      parts.add(
          new JobEvent.PartDone(
              job.jobId(),
              unit.seq(),
              unit.offset() + range[0],
              outputs,
              errors,
              workerLabel,
              result.nanos()));
    }
    return parts;
  }

  private static List<ElementError> errorsWithin(List<ElementError> errors, int from, int to) {
    List<ElementError> out = new ArrayList<>();
    for (ElementError e : errors) {
      if (e.index() >= from && e.index() < to)
        out.add(new ElementError(e.index() - from, e.error()));
    }
    return out;
  }

  /**
   * The unit takes a new id for its next attempts; the old one is kept among {@link #earlierIds}. A
   * worker's node remembers an attempt stopped on it by the unit's id and the worker's name (for an
   * hour: a cpu worker reads it between inputs), so the next attempt, perhaps on that same worker,
   * must not be known by that id: it would be dropped as stopped, and the worker's report, which
   * does not list it, would make it look lost.
   */
  void renumber(long id) {
    earlierIds.add(unit.unitId());
    WorkUnit u = unit;
    unit =
        new WorkUnit(
            id,
            u.jobId(),
            u.task(),
            u.fingerprint(),
            u.seq(),
            u.offset(),
            u.firstIndex(),
            u.inputs());
  }

  /**
   * The unit leaves for the worker now, in assignment {@code seq}, to be answered by the deadline.
   */
  void sentTo(WorkerState worker, long seq, long now, long deadline) {
    this.worker = worker;
    assignSeq = seq;
    holders.add(worker);
    sentNanos = now;
    deadlineNanos = deadline;
  }

  /**
   * {@code chunk 3 (inputs at positions 300..399)}, {@code the input at position 7}: how a user
   * finds it in their input. Positions, said as such: the coordinator does not show inputs, and a
   * bare "input 7" reads as the input 7 when the input at that position is 0.
   */
  String describe() {
    long first = unit.firstIndex();
    return size() == 1
        ? "the input at position " + first
        : "chunk "
            + unit.seq()
            + " (inputs at positions "
            + first
            + ".."
            + (first + size() - 1)
            + ")";
  }

  /** Hands out unit ids; the coordinator's are unique for its incarnation. */
  interface IdSource {
    long next();
  }
}
