package org.clusterpool.coordinator.scheduler;

import java.util.ArrayDeque;
import java.util.BitSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.clusterpool.node.protocol.JobEvent;
import org.clusterpool.node.protocol.TaskSignature;
import org.clusterpool.node.task.TaskKind;

/**
 * One job at the coordinator: its queue of units, the units it still waits for, and what is known
 * of its cost. It changes its own counters: the coordinator tells it what happened to a unit, never
 * sets a count.
 */
final class JobState {
  private final String jobId;

  /**
   * The task's name, and the task as the client means it: only nodes that have that very version
   * run the job.
   */
  private final String task;

  private final TaskSignature signature;
  private final TaskKind kind;
  private final ActorRef<JobEvent> client;
  private final ArrayDeque<UnitState> queue = new ArrayDeque<>();
  private int queued;

  /** Units not yet answered in full, wherever they are: queued, in flight, in quarantine. */
  private int open;

  private int inFlight;
  private boolean lastChunkReceived;

  /** The chunks received, by sequence number: a chunk sent again is not added twice. */
  private final BitSet chunksSeen = new BitSet();

  private long chunksReceived;
  private long inputsDone;
  private int retries;

  /** Whether the job waits in its round of jobs with queued units ({@link JobRounds}). */
  private boolean inRound;

  /**
   * Since when the job has had work and no live worker whose node runs its task; 0 while it has
   * one.
   */
  private long noWorkerSinceNanos;

  /** Smoothed compute time per input, from the workers' reports; 0 until the first result. */
  private double nanosPerInput;

  /**
   * The dearest input seen, per input of its piece: what deadlines follow, so that skewed work is
   * not cut short.
   */
  private double maxNanosPerInput;

  JobState(String jobId, TaskSignature signature, ActorRef<JobEvent> client) {
    this.jobId = jobId;
    this.task = signature.name();
    this.signature = signature;
    this.kind = signature.kind();
    this.client = client;
  }

  String jobId() {
    return jobId;
  }

  String task() {
    return task;
  }

  TaskSignature signature() {
    return signature;
  }

  TaskKind kind() {
    return kind;
  }

  ActorRef<JobEvent> client() {
    return client;
  }

  /** Whether the chunk is new to the job; it is then counted as received. */
  boolean receive(long seq) {
    if (seq > Integer.MAX_VALUE || chunksSeen.get((int) seq)) return false;
    chunksSeen.set((int) seq);
    chunksReceived++;
    return true;
  }

  void lastChunkReceived() {
    lastChunkReceived = true;
  }

  boolean hasLastChunk() {
    return lastChunkReceived;
  }

  long chunksReceived() {
    return chunksReceived;
  }

  /** A new unit of the job, at the back of its queue. */
  void add(UnitState unit) {
    open++;
    queue.addLast(unit);
    unit.inJobQueue = true;
    queued++;
  }

  /** A unit that runs again goes first: ordered consumers wait for it. */
  void requeue(UnitState unit) {
    leaveFlight(unit);
    unit.status = UnitState.Status.QUEUED;
    unit.worker = null;
    if (unit.inJobQueue) return;
    queue.addFirst(unit);
    unit.inJobQueue = true;
    queued++;
  }

  /**
   * The next unit to run, skipping the entries of units that left the queue meanwhile (answered, in
   * quarantine).
   */
  UnitState poll() {
    UnitState unit = peek();
    if (unit == null) return null;
    queue.pollFirst();
    unit.inJobQueue = false;
    queued--;
    return unit;
  }

  UnitState peek() {
    UnitState unit;
    while ((unit = queue.peekFirst()) != null && !unit.inJobQueue) queue.pollFirst();
    return unit;
  }

  /** The unit leaves the queue where it stands: its entry is skipped when its turn comes. */
  private void leaveQueue(UnitState unit) {
    if (!unit.inJobQueue) return;
    unit.inJobQueue = false;
    queued--;
  }

  /** The unit leaves for a worker. */
  void sent(UnitState unit) {
    unit.status = UnitState.Status.IN_FLIGHT;
    inFlight++;
  }

  /** The unit is answered in full, or failed: the job waits for it no more. */
  void close(UnitState unit) {
    if (unit.status == UnitState.Status.DONE) return;
    leaveQueue(unit);
    leaveFlight(unit);
    unit.status = UnitState.Status.DONE;
    open--;
  }

  /** A queued unit moves into a suspect group: it leaves the job's own queue. */
  void toQuarantine(UnitState unit) {
    leaveQueue(unit);
    leaveFlight(unit);
    unit.status = UnitState.Status.QUEUED;
    unit.worker = null;
  }

  /** A unit is replaced by its halves: it closes, they open. */
  void replace(UnitState unit, int halves) {
    close(unit);
    open += halves;
  }

  private void leaveFlight(UnitState unit) {
    if (unit.status == UnitState.Status.IN_FLIGHT) inFlight--;
  }

  boolean hasQueued() {
    return queued > 0;
  }

  int queued() {
    return queued;
  }

  int inFlight() {
    return inFlight;
  }

  int open() {
    return open;
  }

  boolean isFinished() {
    return lastChunkReceived && open == 0;
  }

  void recordCost(long nanos, int inputs) {
    if (inputs <= 0 || nanos < 0) return;
    double sample = (double) nanos / inputs;
    nanosPerInput = nanosPerInput == 0 ? sample : 0.7 * nanosPerInput + 0.3 * sample;
    maxNanosPerInput = Math.max(maxNanosPerInput, sample);
  }

  /**
   * What a unit's deadline follows: the dearest cost per input seen, for cpu work; nothing (the
   * ceiling) for async calls, whose time is their own (a sleep's input) and costs no thread while
   * it passes.
   */
  double deadlineEstimateNanos(UnitState unit) {
    return kind == TaskKind.CPU ? maxNanosPerInput * unit.size() : 0;
  }

  boolean costKnown() {
    return nanosPerInput > 0;
  }

  double estimateNanos(UnitState unit) {
    return nanosPerInput * unit.size();
  }

  /** Inputs of the job answered (with a result or an error) and passed on to its client. */
  void inputsAnswered(int inputs) {
    inputsDone += inputs;
  }

  long inputsDone() {
    return inputsDone;
  }

  /** A unit of the job runs again: its client has been told why. */
  void unitRerun() {
    retries++;
  }

  int retries() {
    return retries;
  }

  boolean isInRound() {
    return inRound;
  }

  /** The job takes its place in its round. */
  void joinedRound() {
    inRound = true;
  }

  /** The job's turn came, or it ended: it is out of its round. */
  void leftRound() {
    inRound = false;
  }

  /** The job has no worker that runs it, from {@code now} on (if it had one until now). */
  void noWorkerSince(long now) {
    if (noWorkerSinceNanos == 0) noWorkerSinceNanos = now;
  }

  /** A live worker runs the job's task, or it has no work left: its no-worker clock stops. */
  void hasWorker() {
    noWorkerSinceNanos = 0;
  }

  /** Whether the job has had no worker for {@code timeoutNanos} by {@code now}. */
  boolean noWorkerFor(long now, long timeoutNanos) {
    return noWorkerSinceNanos != 0 && now - noWorkerSinceNanos >= timeoutNanos;
  }
}
