package org.clusterpool.coordinator.scheduler;

import java.util.ArrayList;
import java.util.List;
import org.clusterpool.node.protocol.Activity;
import org.clusterpool.node.protocol.Activity.Outcome;
import org.clusterpool.node.protocol.Activity.Span;
import org.clusterpool.node.protocol.MessageBudget;

/**
 * The coordinator's chunk spans: one per attempt of a unit, from its send to a worker to its end,
 * kept in a ring of the last {@code capacity}. What it costs is a few fields on the unit and one
 * slot of the ring per attempt, never anything per input; nothing is built for an answer until
 * somebody asks.
 *
 * <p>An attempt's span opens when the unit is sent ({@link #sent}) and is written once, by the
 * first of:
 *
 * <ul>
 *   <li>its answer completes the unit: OK, or FAILED when some of the unit's inputs failed (the
 *       task threw on them);
 *   <li>the unit goes back to be run again (its worker left or crashed, its answer was lost, it
 *       passed its deadline): RERUN; a late answer of that attempt adds nothing, its span is
 *       written;
 *   <li>the coordinator fails the unit (it crashed too many workers, ran out of time too often):
 *       FAILED;
 *   <li>its job ends while it is out (cancelled, its client left, no worker), or another attempt of
 *       the unit answers first and this one is stopped: CANCELLED.
 * </ul>
 *
 * <p>Spans are numbered in the order they end. The numbers start at the clock's milliseconds times
 * 1000, so those of a later coordinator (a restart under its guardian) are above an earlier one's,
 * unless that one wrote more than 1000 spans a millisecond: an asker with the earlier one's numbers
 * then sees a {@code gap}, not an empty answer.
 */
final class ActivityLog {
  /** Spans kept: a few minutes of a busy cluster, about a MiB. */
  static final int CAPACITY = 4096;

  private final Span[] ring;

  /** The number the next span gets; the newest written is one less. */
  private long nextSeq;

  private final long firstSeq;

  ActivityLog() {
    this(CAPACITY, System.currentTimeMillis() * 1000);
  }

  ActivityLog(int capacity, long firstSeq) {
    if (capacity < 1)
      throw new IllegalArgumentException(
          "an activity log keeps at least one span, not " + capacity);
    this.ring = new Span[capacity];
    this.firstSeq = firstSeq;
    this.nextSeq = firstSeq;
  }

  /** The unit leaves for its worker now: its attempt's span opens. */
  void sent(UnitState unit, WorkerState worker, long nowMillis) {
    ended(
        unit,
        Outcome.RERUN); // an attempt still open is over: the unit would not be sent again otherwise
    unit.sentMillis = nowMillis;
    unit.spanWorker = worker;
  }

  /**
   * The unit is complete, its last result from {@code from}: its attempt there ends OK (or FAILED),
   * another CANCELLED.
   */
  void answered(UnitState unit, WorkerState from) {
    ended(
        unit,
        unit.spanWorker != from
            ? Outcome.CANCELLED
            : unit.inputsFailed ? Outcome.FAILED : Outcome.OK);
  }

  /** The unit's current attempt, if its span is still open, ends now so. */
  void ended(UnitState unit, Outcome outcome) {
    WorkerState worker = unit.spanWorker;
    if (worker == null) return;
    unit.spanWorker = null;
    record(
        worker.info.name(),
        worker.info.node(),
        unit.job.jobId(),
        unit.job.task(),
        unit.sentMillis,
        System.currentTimeMillis(),
        unit.size(),
        outcome);
  }

  /** Writes a span in the ring, over the oldest once it is full. */
  void record(
      String worker,
      String node,
      String jobId,
      String task,
      long startMillis,
      long endMillis,
      int inputs,
      Outcome outcome) {
    long seq = nextSeq++;
    ring[(int) Math.floorMod(seq, (long) ring.length)] =
        new Span(
            seq,
            worker,
            node,
            jobId,
            task,
            startMillis,
            Math.max(startMillis, endMillis),
            inputs,
            outcome);
  }

  /** The seq of the newest span written, or one below the first number when none is. */
  long lastSeq() {
    return nextSeq - 1;
  }

  /**
   * The spans after {@code afterSeq}, oldest first: at most {@code max} (cut to [0, {@link
   * Activity#MAX_SPANS}]) and what the budget lets one message carry. An {@code afterSeq} above the
   * newest is another coordinator's: the answer starts at the oldest kept, with a gap.
   */
  Activity since(long afterSeq, int max, MessageBudget budget) {
    long oldest = Math.max(firstSeq, nextSeq - ring.length);
    long from;
    boolean gap;
    if (afterSeq <= 0) { // all it keeps: a gap only when some were forgotten
      from = oldest;
      gap = oldest > firstSeq;
    } else if (afterSeq > lastSeq()) {
      from = oldest;
      gap = true;
    } else {
      from = Math.max(afterSeq + 1, oldest);
      gap = afterSeq + 1 < oldest;
    }
    int limit = Math.max(0, Math.min(max, Activity.MAX_SPANS));
    List<Span> spans = new ArrayList<>(Math.min(limit, (int) Math.max(0, nextSeq - from)));
    long bytes = 0;
    for (long seq = from; seq < nextSeq && spans.size() < limit; seq++) {
      Span span = ring[(int) Math.floorMod(seq, (long) ring.length)];
      long size = MessageBudget.of(span);
      if (!budget.fits(bytes, size)) break;
      bytes += size;
      spans.add(span);
    }
    long last = spans.isEmpty() ? from - 1 : spans.get(spans.size() - 1).seq();
    return new Activity(last, gap, spans);
  }
}
