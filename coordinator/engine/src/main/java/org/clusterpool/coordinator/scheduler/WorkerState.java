package org.clusterpool.coordinator.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.clusterpool.node.protocol.WorkerInfo;
import org.clusterpool.node.protocol.WorkerProtocol;
import org.clusterpool.node.task.TaskKind;

/**
 * One worker as the coordinator sees it: the capacity it stated, and the batches sent to it and not
 * yet answered.
 *
 * <p>Its credit is counted here, never taken from the worker: capacity (set by the worker's latest
 * report) minus what is out. A batch stops counting once each of its units is answered, written off
 * (it ran again elsewhere after its deadline) or found lost; so a lost, repeated or late message
 * can neither leak the credit nor inflate it.
 */
final class WorkerState {
  final ActorRef<WorkerProtocol.Command> ref;
  final ActorRef<WorkerProtocol.NodeCommand> node;
  final WorkerInfo info;
  private int cpuCapacity;
  private int asyncCapacity;
  private long lastReportSeq;

  /** When its last report came ({@link System#nanoTime()}); its first, when it came. */
  private long lastReportNanos = System.nanoTime();

  /** Assignments numbered from 1 for this worker; results numbered by the worker. */
  private long nextAssignSeq = 1;

  private long lastResultSeq;

  /**
   * Batches out, by assignment number: the units of each that are still counted against the credit.
   */
  private final Map<Long, Batch> batches = new LinkedHashMap<>();

  private final Map<Long, Long> batchOfUnit = new HashMap<>();
  private int cpuBatchesOut;
  private int asyncCallsOut;
  private long chunksDone;
  private long inputsDone;

  /**
   * The cpu unit that passed its deadline here, while the worker has not reported since; null when
   * none. A cpu task runs on the worker's own thread: one that does not stop (deaf to interrupts,
   * stuck in a library call) holds the worker, which takes no message until it returns, so work
   * sent to it meanwhile would only wait there and pass its deadlines too, blamed on it.
   */
  private String heldPastDeadline;

  private static final class Batch {
    final TaskKind kind;
    final Map<Long, Integer> units = new HashMap<>(); // unit id -> its inputs

    Batch(TaskKind kind) {
      this.kind = kind;
    }
  }

  WorkerState(
      ActorRef<WorkerProtocol.Command> ref,
      ActorRef<WorkerProtocol.NodeCommand> node,
      WorkerInfo info) {
    this.ref = ref;
    this.node = node;
    this.info = info;
  }

  /**
   * Its results message {@code seq} arrived: the number of the first one missing before it, or 0
   * when none is.
   */
  long resultsArrived(long seq) {
    long expected = lastResultSeq + 1;
    lastResultSeq = Math.max(lastResultSeq, seq);
    return seq > expected ? expected : 0;
  }

  /** Inputs it answered first (a result or an error that reached the client). */
  void inputsAnswered(int inputs) {
    inputsDone += inputs;
  }

  /** A unit got its last result from this worker. */
  void unitCompleted() {
    chunksDone++;
  }

  long inputsDone() {
    return inputsDone;
  }

  long chunksDone() {
    return chunksDone;
  }

  /**
   * Takes the capacity of a report newer than the last one; false for an old or repeated report.
   */
  boolean takeReport(long reportSeq, int cpu, int async) {
    if (reportSeq <= lastReportSeq) return false;
    lastReportSeq = reportSeq;
    lastReportNanos = System.nanoTime();
    heldPastDeadline = null; // it reports between batches: whatever held it has let it go
    cpuCapacity = cpu;
    asyncCapacity = async;
    return true;
  }

  /** Whether it has said something since {@code nanos}: it was alive then. */
  boolean reportedSince(long nanos) {
    return lastReportNanos - nanos > 0;
  }

  int cpuCredit() {
    return heldPastDeadline != null ? 0 : cpuCapacity - cpuBatchesOut;
  }

  int asyncCredit() {
    return heldPastDeadline != null ? 0 : asyncCapacity - asyncCallsOut;
  }

  /**
   * A cpu unit ({@code unit} describes it) passed its deadline here: the worker gets no work until
   * it reports again.
   */
  void heldPastDeadline(String unit) {
    heldPastDeadline = unit;
  }

  /** The cpu unit that holds it past its deadline, or null when none does. */
  String heldBy() {
    return heldPastDeadline;
  }

  int cpuCapacity() {
    return cpuCapacity;
  }

  int cpuBatchesOut() {
    return cpuBatchesOut;
  }

  int asyncCallsOut() {
    return asyncCallsOut;
  }

  /**
   * Counts a batch about to be sent against the credit (it sends nothing) and returns its
   * assignment number.
   */
  long countBatch(TaskKind kind, List<UnitState> units) {
    long seq = nextAssignSeq++;
    Batch batch = new Batch(kind);
    for (UnitState unit : units) {
      batch.units.put(unit.id(), unit.size());
      batchOfUnit.put(unit.id(), seq);
      if (kind == TaskKind.ASYNC) asyncCallsOut += unit.size();
    }
    if (kind == TaskKind.CPU) cpuBatchesOut++;
    batches.put(seq, batch);
    return seq;
  }

  /**
   * The unit no longer counts against this worker: answered, written off, or lost. False if it did
   * not count.
   */
  boolean release(long unitId) {
    Long seq = batchOfUnit.remove(unitId);
    if (seq == null) return false;
    Batch batch = batches.get(seq);
    Integer inputs = batch.units.remove(unitId);
    if (batch.kind == TaskKind.ASYNC && inputs != null) asyncCallsOut -= inputs;
    if (batch.units.isEmpty()) {
      batches.remove(seq);
      if (batch.kind == TaskKind.CPU) cpuBatchesOut--;
    }
    return true;
  }

  /**
   * The units still counted, of assignments up to {@code lastSeq}: what the worker has taken from
   * its mailbox.
   */
  List<Long> unitsTakenUpTo(long lastSeq) {
    List<Long> units = new ArrayList<>();
    for (Map.Entry<Long, Batch> entry : batches.entrySet()) {
      if (entry.getKey() <= lastSeq) units.addAll(entry.getValue().units.keySet());
    }
    return units;
  }

  /**
   * Every unit still counted against this worker, by id: ids grow as units are made, and a unit run
   * again after its deadline takes a new one, so it comes after those made since.
   */
  List<Long> units() {
    List<Long> units = new ArrayList<>(batchOfUnit.keySet());
    units.sort(null);
    return units;
  }

  /** Assignments sent so far: the last number handed out. */
  long lastAssignSeq() {
    return nextAssignSeq - 1;
  }
}
