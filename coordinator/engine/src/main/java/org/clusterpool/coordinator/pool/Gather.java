package org.clusterpool.coordinator.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.clusterpool.node.handle.Futures;

/**
 * asyncio's ways to run calls concurrently, over the cluster's workers: {@code gather}, {@code
 * gather(..., return_exceptions=True)}, {@code TaskGroup}, {@code wait_for}, {@code as_completed},
 * and a {@code Semaphore}-style limit. Each returns at once; cancelling what it returns cancels the
 * calls.
 *
 * <pre>{@code
 * Gather gather = Gather.on(pool);                                   // asyncio, on the pool's workers
 * Call<Double> t1 = Call.of(BuiltinTasks.SLEEP, 2.0);               // task(1, 2)
 * Gathered done = gather.gather(t1, Call.of(SLEEP, 3.0)).toCompletableFuture().join();
 * double slept = done.get(t1);                                       // typed per call
 * }</pre>
 */
public final class Gather {
  private final ClusterPool pool;
  private final int limit;
  private final Duration timeout;
  private final Retries retries;

  private Gather(ClusterPool pool, int limit, Duration timeout, Retries retries) {
    this.pool = pool;
    this.limit = limit;
    this.timeout = timeout;
    this.retries = retries;
  }

  /** Hears a call that runs again, by its position among the gathered calls. */
  @FunctionalInterface
  public interface Retries {
    Retries NONE = (position, call, reason) -> {};

    /**
     * The call runs again: its worker was lost, or it passed its deadline ({@code reason} says
     * which). Called on the pool's own thread: keep it quick.
     */
    void callRetried(int position, Call<?> call, String reason);
  }

  /**
   * Tells {@code retries} of every call that runs again, as {@code map} notes a chunk that does: a
   * call that never ends is tried again past its deadline, and whoever waits sees why.
   */
  public Gather onRetry(Retries retries) {
    return new Gather(pool, limit, timeout, Objects.requireNonNull(retries, "retries"));
  }

  private static final Duration MAX_TIMEOUT = Duration.ofDays(365);

  public static Gather on(ClusterPool pool) {
    return new Gather(pool, 0, null, Retries.NONE);
  }

  /**
   * At most {@code calls} of each gather run at once, like acquiring an {@code
   * asyncio.Semaphore(calls)} in each.
   */
  public Gather limit(int calls) {
    if (calls < 1) throw new IllegalArgumentException("the limit must be at least 1, got " + calls);
    return new Gather(pool, calls, timeout, retries);
  }

  /**
   * {@code asyncio.wait_for(gather(...), timeout)}: past the timeout, the calls still running are
   * cancelled and the result fails with {@link CallTimeoutException}, which names them.
   */
  public Gather timeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    // beyond a year is no timeout, and beyond 292 years it no longer fits the nanoseconds it is
    // counted in
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException(
          "the timeout must be positive and at most 365 days, got " + timeout);
    }
    return new Gather(pool, limit, timeout, retries);
  }

  /**
   * {@code asyncio.gather(*calls)}: results in argument order. The first failure fails the result
   * at once; like asyncio, the other calls are not cancelled.
   */
  public CompletionStage<Gathered> gather(Call<?>... calls) {
    return gather(Arrays.asList(Objects.requireNonNull(calls, "calls")));
  }

  public CompletionStage<Gathered> gather(List<Call<?>> calls) {
    GatherRun run = GatherRun.start(pool, calls, limit, null, retries);
    CompletableFuture<Gathered> result = watched(run);
    for (CompletableFuture<Object> slot : run.slots) {
      slot.whenComplete(
          (value, error) -> {
            if (error != null) result.completeExceptionally(unwrap(error));
          });
    }
    CompletableFuture.allOf(run.slots.toArray(CompletableFuture[]::new))
        .whenComplete(
            (all, error) -> {
              if (error == null) result.complete(run.gathered());
            });
    return result;
  }

  /**
   * {@code asyncio.gather(*calls, return_exceptions=True)}: a failed call's exception comes back in
   * its place.
   */
  public CompletionStage<Gathered> gatherReturningExceptions(Call<?>... calls) {
    return gatherReturningExceptions(Arrays.asList(Objects.requireNonNull(calls, "calls")));
  }

  public CompletionStage<Gathered> gatherReturningExceptions(List<Call<?>> calls) {
    GatherRun run = GatherRun.start(pool, calls, limit, null, retries);
    CompletableFuture<Gathered> result = watched(run);
    whenAllDone(run).thenRun(() -> result.complete(run.gathered()));
    return result;
  }

  /**
   * {@code async with asyncio.TaskGroup()}: the first failure cancels the other calls (running
   * async calls stop on their worker, queued ones are dropped); the result fails with a {@link
   * TaskGroupException} that lists every failure.
   */
  public CompletionStage<Gathered> taskGroup(Call<?>... calls) {
    return taskGroup(Arrays.asList(Objects.requireNonNull(calls, "calls")));
  }

  public CompletionStage<Gathered> taskGroup(List<Call<?>> calls) {
    GatherRun run = GatherRun.start(pool, calls, limit, null, retries);
    CompletableFuture<Gathered> result = watched(run);
    for (CompletableFuture<Object> slot : run.slots) {
      slot.whenComplete(
          (value, error) -> {
            if (error != null && !(unwrap(error) instanceof CancellationException))
              run.cancel("another call of its task group failed");
          });
    }
    whenAllDone(run)
        .thenRun(
            () -> {
              Gathered gathered = run.gathered();
              List<Throwable> failures = new ArrayList<>();
              int cancelled = 0;
              for (int i = 0; i < gathered.size(); i++) {
                Throwable error = gathered.error(i);
                if (error instanceof CancellationException) cancelled++;
                else if (error != null) failures.add(error);
              }
              if (failures.isEmpty()) result.complete(gathered);
              else result.completeExceptionally(new TaskGroupException(failures, cancelled));
            });
    return result;
  }

  /**
   * {@code asyncio.wait_for(call, timeout)}: the call's value, or a {@link CallTimeoutException}
   * that names it.
   */
  public <O> CompletionStage<O> waitFor(Call<O> call, Duration timeout) {
    Objects.requireNonNull(call, "call");
    return timeout(timeout).gather(call).thenApply(done -> done.get(call));
  }

  /**
   * {@code asyncio.as_completed(calls)}: the calls in the order they finish. Closing the iterator
   * cancels the calls still running; with a {@link #timeout}, {@code next()} throws {@link
   * CallTimeoutException} past it.
   */
  public AsCompleted asCompleted(Call<?>... calls) {
    return asCompleted(Arrays.asList(Objects.requireNonNull(calls, "calls")));
  }

  public AsCompleted asCompleted(List<Call<?>> calls) {
    BlockingQueue<Completed<?>> queue = new LinkedBlockingQueue<>();
    GatherRun run = GatherRun.start(pool, calls, limit, queue, retries);
    return new AsCompleted(run, queue, timeout);
  }

  /**
   * The iterator of {@link #asCompleted}; its own {@link Iterable}, so that {@code for
   * (Completed<?> c : it)} reads as {@code for c in asyncio.as_completed(...)}. Walked once.
   */
  public static final class AsCompleted
      implements Iterator<Completed<?>>, Iterable<Completed<?>>, AutoCloseable {
    private final GatherRun run;
    private final BlockingQueue<Completed<?>> queue;
    private final long deadline;
    private final Duration timeout;
    private int taken;

    private AsCompleted(GatherRun run, BlockingQueue<Completed<?>> queue, Duration timeout) {
      this.run = run;
      this.queue = queue;
      this.timeout = timeout;
      this.deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    }

    /** This iterator itself: a second loop goes on where the first stopped. */
    @Override
    public Iterator<Completed<?>> iterator() {
      return this;
    }

    @Override
    public boolean hasNext() {
      return taken < run.calls.size();
    }

    @Override
    public Completed<?> next() {
      if (!hasNext()) throw new NoSuchElementException();
      try {
        Completed<?> next =
            timeout == null
                ? queue.take()
                : queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (next == null) {
          List<String> unfinished = run.unfinished();
          run.cancel("timed out");
          taken = run.calls.size();
          throw new CallTimeoutException(timeout, unfinished);
        }
        taken++;
        return next;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the next call", e);
      }
    }

    /**
     * Cancels the calls still running, saying why: each one the iterator has not handed out yet
     * then comes out as a {@code CancellationException} with {@code reason} (like {@code "by DELETE
     * /jobs/42"}).
     */
    public void cancel(String reason) {
      if (hasNext()) run.cancel(reason);
    }

    /**
     * Cancels the calls still running: their results say that the iterator was closed before they
     * finished.
     */
    @Override
    public void close() {
      cancel("the as_completed iterator was closed before the call finished");
    }
  }

  /**
   * The result future: cancelling it cancels the calls; past the timeout it fails and cancels them.
   */
  private CompletableFuture<Gathered> watched(GatherRun run) {
    CompletableFuture<Gathered> result = new CompletableFuture<>();
    result.whenComplete(
        (done, error) -> {
          if (result.isCancelled()) run.cancel("the gather was cancelled");
        });
    if (timeout != null) {
      Executor later = CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS);
      later.execute(
          () -> {
            List<String> unfinished = run.unfinished();
            if (!unfinished.isEmpty()
                && result.completeExceptionally(new CallTimeoutException(timeout, unfinished))) {
              run.cancel("timed out after " + CallTimeoutException.format(timeout));
            }
          });
    }
    return result;
  }

  private static CompletableFuture<Void> whenAllDone(GatherRun run) {
    List<CompletableFuture<Object>> settled = new ArrayList<>();
    for (CompletableFuture<Object> slot : run.slots)
      settled.add(slot.handle((value, error) -> null));
    return CompletableFuture.allOf(settled.toArray(CompletableFuture[]::new));
  }

  private static Throwable unwrap(Throwable error) {
    return Futures.cause(error);
  }
}
