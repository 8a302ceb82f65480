package org.clusterpool.coordinator.pool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.clusterpool.node.task.Task;

/**
 * The calls of one gather in flight. Calls of the same task go as one job with one chunk per call,
 * so a thousand sleeps cost one job, not a thousand; each call keeps its own slot, completed when
 * its result arrives.
 */
final class GatherRun {
  final List<Call<?>> calls;
  final List<CompletableFuture<Object>> slots = new ArrayList<>();
  final String[] workers;
  private final List<PoolEngine.CallsJob> jobs = new ArrayList<>();
  private final ClusterPool pool;
  private final BlockingQueue<Completed<?>> completions;
  private final Gather.Retries retries;

  private GatherRun(
      ClusterPool pool,
      List<Call<?>> calls,
      BlockingQueue<Completed<?>> completions,
      Gather.Retries retries) {
    this.pool = pool;
    this.calls = List.copyOf(calls);
    this.completions = completions;
    this.retries = retries;
    this.workers = new String[calls.size()];
    for (int i = 0; i < calls.size(); i++) {
      workers[i] = "";
      slots.add(new CompletableFuture<>());
    }
  }

  /**
   * Starts every call; {@code limit} 0 means no limit; {@code completions} (may be null) hears each
   * call finish; {@code retries} hears each call that runs again.
   */
  static GatherRun start(
      ClusterPool pool,
      List<Call<?>> calls,
      int limit,
      BlockingQueue<Completed<?>> completions,
      Gather.Retries retries) {
    Objects.requireNonNull(calls, "calls");
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i) == null) {
        throw new NullPointerException(
            "the call at position "
                + i
                + " is null: a gather takes calls, like Call.of(task, input)");
      }
    }
    calls = List.copyOf(calls); // the caller's list may change after the gather started
    GatherRun run = new GatherRun(pool, calls, completions, retries);
    Map<String, List<Integer>> byTask = new LinkedHashMap<>();
    for (int i = 0; i < calls.size(); i++)
      byTask.computeIfAbsent(calls.get(i).task().name(), name -> new ArrayList<>()).add(i);
    CallLimit shared = limit > 0 ? new CallLimit(limit) : null;
    try {
      for (List<Integer> positions : byTask.values())
        run.startJob(calls.get(positions.get(0)).task(), positions, shared);
    } catch (RuntimeException e) {
      run.cancel("the gather could not start: " + e.getMessage());
      throw e;
    }
    return run;
  }

  @SuppressWarnings("unchecked")
  private <I, O> void startJob(Task<I, O> task, List<Integer> positions, CallLimit limit) {
    List<I> inputs = new ArrayList<>(positions.size());
    for (int position : positions) inputs.add((I) calls.get(position).input());
    jobs.add(pool.startCalls(task, inputs, new Sink<>(positions), limit));
  }

  /**
   * Cancels every call still running, on whichever node it runs; their slots fail with a
   * cancellation.
   */
  void cancel(String reason) {
    for (PoolEngine.CallsJob job : jobs) job.cancel(reason);
  }

  /** The calls not finished yet, as {@code task:input}. */
  List<String> unfinished() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < slots.size(); i++)
      if (!slots.get(i).isDone()) out.add(calls.get(i).toString());
    return out;
  }

  Gathered gathered() {
    List<Object> values = new ArrayList<>();
    List<Throwable> errors = new ArrayList<>();
    for (CompletableFuture<Object> slot : slots) {
      Object value = null;
      Throwable error = null;
      try {
        value = slot.getNow(null);
      } catch (CancellationException e) {
        error = e;
      } catch (RuntimeException e) {
        error = e.getCause() != null ? e.getCause() : e;
      }
      values.add(value);
      errors.add(error);
    }
    return new Gathered(calls, values, errors, List.of(workers));
  }

  private void finish(int position, Object value, Throwable error, String worker) {
    workers[position] = worker;
    boolean first =
        error == null
            ? slots.get(position).complete(value)
            : slots.get(position).completeExceptionally(error);
    if (first && completions != null) completions.add(completed(position, value, error, worker));
  }

  @SuppressWarnings("unchecked")
  private <O> Completed<O> completed(int position, Object value, Throwable error, String worker) {
    return new Completed<>((Call<O>) calls.get(position), position, (O) value, error, worker);
  }

  /**
   * Where one job's results go: each input of the job is one call, at its own position in the
   * gather.
   */
  private final class Sink<O> implements PoolEngine.CallSink<O> {
    private final List<Integer> positions;

    Sink(List<Integer> positions) {
      this.positions = positions;
    }

    @Override
    public void result(int index, O value, String worker) {
      finish(positions.get(index), value, null, worker);
    }

    @Override
    public void failed(int index, TaskFailedException failed, String worker) {
      int position = positions.get(index);
      // the position that matters is the call's among the gathered ones, not the input's in its job
      finish(
          position,
          null,
          new TaskFailedException(failed.task(), position, failed.input(), failed.remoteError()),
          worker);
    }

    @Override
    public void retried(int index, String reason) {
      int position = positions.get(index);
      retries.callRetried(position, calls.get(position), reason);
    }

    @Override
    public void failedOne(int index, Throwable error) {
      finish(positions.get(index), null, error, "");
    }

    @Override
    public void failedAll(Throwable error) {
      for (int position : positions) finish(position, null, error, "");
    }
  }
}
