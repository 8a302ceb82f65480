package org.clusterpool.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import org.clusterpool.coordinator.pool.Call;
import org.clusterpool.coordinator.pool.CallTimeoutException;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.coordinator.pool.Completed;
import org.clusterpool.coordinator.pool.Gather;
import org.clusterpool.node.task.Task;

/**
 * {@code POST /gather}: asyncio's gather over the cluster. The calls run as {@link
 * Gather#asCompleted}, so each one's result is kept (and streamed) when it ends, with its position;
 * the mode decides what ends the job, as in asyncio: {@code gather} fails with the first failure
 * (the other calls are cancelled), {@code return_exceptions} keeps every failure in its place,
 * {@code task_group} cancels the others at the first failure and fails with all of them.
 *
 * <p>Every call has one outcome in the results, whatever ends the job: a call that the job's end
 * cuts short (a failure in {@code gather} mode, the timeout, a {@code DELETE}, results outgrowing
 * their room) is written as cancelled, with what cut it, before the job is told ended, so that a
 * stream that ends with the job has them too.
 */
final class GatherJob extends StoredResultsJob<JsonNode> {

  enum Mode {
    GATHER,
    RETURN_EXCEPTIONS,
    TASK_GROUP
  }

  /** Let go when the job ends: only their outcomes stay. */
  private volatile List<Call<?>> calls;

  private final int callCount;
  private final long callBytes;
  private final Mode mode;
  private final Duration timeout;
  private final int limit;

  /** The positions whose outcome is in the results; guarded by {@code this}. */
  private final BitSet reported = new BitSet();

  private Gather.AsCompleted running;
  private boolean stopRequested;
  private String stopReason = "";

  /**
   * {@code timeout} may be null, {@code limit} 0 means none; {@code callBytes} is about the heap
   * the calls take.
   */
  GatherJob(
      String id,
      List<Call<?>> calls,
      long callBytes,
      Mode mode,
      Duration timeout,
      int limit,
      int workers,
      Supplier<ClusterPool> pools) {
    super(id, calls.size(), ResultStore.ofJson(calls.size()), workers, pools);
    this.calls = List.copyOf(calls);
    this.callCount = calls.size();
    this.callBytes = callBytes;
    this.mode = mode;
    this.timeout = timeout;
    this.limit = limit;
  }

  @Override
  String kind() {
    return "gather";
  }

  @Override
  void runOn(ClusterPool pool) {
    Gather gather = Gather.on(pool);
    if (limit > 0) gather = gather.limit(limit);
    if (timeout != null) gather = gather.timeout(timeout);
    Gather.AsCompleted completed = gather.asCompleted(calls);
    try {
      synchronized (this) {
        running = completed;
        if (stopRequested) completed.cancel(stopReason);
      }
      List<Completed<?>> failures = new ArrayList<>();
      int cancelled = 0;
      int answered = 0;
      while (state() == State.RUNNING && completed.hasNext()) {
        Completed<?> call;
        try {
          call = completed.next();
        } catch (CallTimeoutException late) { // the calls not finished are cancelled
          cutShort("the gather timed out after " + timeout.toMillis() / 1000.0 + " s");
          fail(late);
          return;
        }
        if (!report(call)) continue; // written as cut short already
        progress(++answered);
        changed();
        if (!stillFits()) {
          cutShort("its gather's results outgrew the room the HTTP API has for them");
          outgrown();
          return;
        }
        if (!call.failed()) continue;
        if (mode == Mode.GATHER) {
          completed.cancel(ANOTHER_FAILED);
          cutShort(ANOTHER_FAILED);
          fail(call.error());
          return;
        }
        if (call.error() instanceof CancellationException) {
          cancelled++;
        } else if (mode == Mode.TASK_GROUP) {
          if (failures.isEmpty())
            completed.cancel(
                "another call of its task group failed"); // the first failure cancels the others
          failures.add(call);
        }
      }
      if (failures.isEmpty()) finish();
      else fail(taskGroupFailure(failures, cancelled));
    } finally {
      cancelRest(completed);
    }
  }

  private static final String ANOTHER_FAILED = "another call of the gather failed";

  /** Writes a call's outcome, unless one is written for its position already. */
  private synchronized boolean report(Completed<?> call) {
    if (reported.get(call.position())) return false;
    reported.set(call.position());
    results.add(entry(call));
    return true;
  }

  /**
   * Writes every call without an outcome yet as cancelled by {@code reason}: the job ends before
   * they do, and a result that comes later is not kept.
   */
  private synchronized void cutShort(String reason) {
    List<Call<?>> all = calls;
    if (all == null) return; // the run is over: every outcome is written
    for (int position = reported.nextClearBit(0);
        position < callCount;
        position = reported.nextClearBit(position + 1)) {
      reported.set(position);
      results.add(cutShortEntry(position, all.get(position), reason));
    }
    // the job's end, which comes next, wakes the streams
  }

  @Override
  void letGoOfInputs() {
    calls = null;
  }

  /**
   * The failure of a task group, worded as {@code TaskGroupException} words it: every failure, in
   * call order.
   */
  private static ObjectNode taskGroupFailure(List<Completed<?>> failures, int cancelled) {
    failures.sort(Comparator.comparingInt(Completed::position));
    StringBuilder summary = new StringBuilder();
    for (Completed<?> failure : failures.subList(0, Math.min(failures.size(), 20))) {
      if (summary.length() > 0) summary.append("; ");
      summary.append(failure.error().getMessage());
    }
    if (failures.size() > 20) summary.append("; and ").append(failures.size() - 20).append(" more");
    String message =
        "task group failed: "
            + failures.size()
            + (failures.size() == 1 ? " call" : " calls")
            + " failed, "
            + cancelled
            + " cancelled: "
            + summary;
    return ErrorJson.of("TaskGroupException", message);
  }

  private static ObjectNode entry(Completed<?> call) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("position", call.position());
    json.put("call", call.call().toString());
    if (call.failed()) json.set("error", ErrorJson.of(call.error()));
    else json.set("value", valueJson(call.call().task(), call.value()));
    json.put("worker", call.worker() == null ? "" : call.worker());
    return json;
  }

  private static ObjectNode cutShortEntry(int position, Call<?> call, String reason) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("position", position);
    json.put("call", call.toString());
    json.set("error", ErrorJson.of(new CancellationException(reason)));
    json.put("worker", "");
    return json;
  }

  @SuppressWarnings("unchecked")
  private static <O> JsonNode valueJson(Task<?, O> task, Object value) {
    return task.outputType().toJson((O) value);
  }

  /**
   * The calls cut short are written under the lock that the end takes too: a stream that hears of
   * the end finds them, and a run that ends meanwhile finds their positions taken.
   */
  @Override
  synchronized boolean cancel(String reason) {
    if (state() != State.RUNNING) return false;
    cutShort(reason);
    return super.cancel(reason);
  }

  @Override
  protected synchronized void stopRunning(String reason) {
    stopRequested = true;
    stopReason = reason;
    if (running != null) running.cancel(reason);
  }

  /** Cancels the calls still running, if any; the iterator still hands out their cancellations. */
  private static void cancelRest(Gather.AsCompleted completed) {
    completed.close();
  }

  @Override
  long inputBytes() {
    return calls == null ? 0 : callBytes;
  }

  @Override
  void describe(ObjectNode json) {
    json.put("calls", callCount);
    json.put(
        "mode",
        mode == Mode.GATHER
            ? "gather"
            : mode == Mode.TASK_GROUP ? "task_group" : "return_exceptions");
    if (timeout != null) json.put("timeout_seconds", timeout.toMillis() / 1000.0);
    if (limit > 0) json.put("limit", limit);
    json.put("workers", workers);
  }
}
