package org.clusterpool.node.worker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.clusterpool.node.handle.Futures;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.protocol.UnitResult;
import org.clusterpool.node.protocol.WorkUnit;
import org.clusterpool.node.task.AsyncTask;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.wire.RemoteError;
import org.clusterpool.node.wire.Values;

/**
 * The async units a worker holds, each until the last of its calls finishes: their outputs and
 * errors gathered by index, and the calls to cancel when the unit is stopped. The worker starts the
 * calls and sends the results; this keeps what is held, which is also what the worker's report
 * lists.
 */
final class AsyncCalls {

  /** The async calls of one unit, until the last one finishes. */
  static final class Pending {
    final WorkUnit unit;
    final AsyncTask<?, ?> task;
    final ActorRef<CoordinatorProtocol.Command> replyTo;
    final Object[] outputs;
    final List<ElementError> errors = new ArrayList<>(0);
    final WorkerContext[] calls;
    final long startNanos = System.nanoTime();
    int remaining;

    Pending(WorkUnit unit, AsyncTask<?, ?> task, ActorRef<CoordinatorProtocol.Command> replyTo) {
      this.unit = unit;
      this.task = task;
      this.replyTo = replyTo;
      int n = unit.inputs().size();
      this.outputs = new Object[n];
      this.calls = new WorkerContext[n];
      this.remaining = n;
    }

    void cancel() {
      for (WorkerContext call : calls) {
        if (call != null) call.cancel();
      }
    }
  }

  /** A unit whose last call finished: its result, for the coordinator that assigned it. */
  record Done(ActorRef<CoordinatorProtocol.Command> replyTo, UnitResult result) {}

  private final Map<Long, Pending> units = new HashMap<>();

  boolean holds(long unitId) {
    return units.containsKey(unitId);
  }

  int size() {
    return units.size();
  }

  /** The ids of the units held, at most {@code max} of them. */
  long[] heldIds(int max) {
    long[] ids = new long[Math.min(units.size(), max)];
    int i = 0;
    for (Long id : units.keySet()) {
      if (i == ids.length) break;
      ids[i++] = id;
    }
    return ids;
  }

  /** The unit is held from now on; its calls are started by the worker. */
  Pending hold(WorkUnit unit, AsyncTask<?, ?> task, ActorRef<CoordinatorProtocol.Command> replyTo) {
    Pending pending = new Pending(unit, task, replyTo);
    units.put(unit.unitId(), pending);
    return pending;
  }

  /**
   * A call finished with its value or error. Its unit's result when that was the unit's last call
   * (the unit is then no longer held); null otherwise, and when the unit or the call was stopped
   * meanwhile.
   */
  Done finished(long unitId, int index, Object value, Throwable failure, String where) {
    Pending pending = units.get(unitId);
    if (pending == null || pending.calls[index] == null) return null; // cancelled meanwhile
    pending.calls[index] = null;
    if (failure == null)
      failure = ValueType.nullResult(pending.task.name(), pending.task.outputType(), value);
    if (failure != null) {
      Throwable error = Futures.cause(failure);
      pending.errors.add(new ElementError(index, RemoteError.of(error, where)));
    } else {
      pending.outputs[index] = value;
    }
    if (--pending.remaining > 0) return null;
    units.remove(unitId);
    pending.errors.sort((a, b) -> Integer.compare(a.index(), b.index()));
    Values outputs = encode(pending.task, pending.outputs, pending.errors, where);
    UnitResult result =
        UnitResult.whole(
            pending.unit.unitId(),
            pending.unit.jobId(),
            outputs,
            List.copyOf(pending.errors),
            System.nanoTime() - pending.startNanos);
    return new Done(pending.replyTo, result);
  }

  /** As a cpu unit's: an output that cannot be encoded fails its call alone. */
  @SuppressWarnings("unchecked")
  private static <O> Values encode(
      AsyncTask<?, O> task, Object[] outputs, List<ElementError> errors, String where) {
    List<O> values = new ArrayList<>(outputs.length);
    for (Object o : outputs) values.add((O) o);
    return UnitRunner.encode(task.outputType(), values, errors, where, false);
  }

  /** The job's calls stop, and its units are no longer held. */
  void stopJob(String jobId) {
    Iterator<Pending> it = units.values().iterator();
    while (it.hasNext()) {
      Pending pending = it.next();
      if (!pending.unit.jobId().equals(jobId)) continue;
      pending.cancel();
      it.remove();
    }
  }

  /** The units' calls stop, and they are no longer held. */
  void stopUnits(List<Long> unitIds) {
    for (Long unitId : unitIds) {
      Pending pending = units.remove(unitId);
      if (pending != null) pending.cancel();
    }
  }

  /** Every call stops: the worker stops. */
  void cancelAll() {
    for (Pending pending : units.values()) pending.cancel();
  }
}
