package org.clusterpool.coordinator.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A job submitted through the API: its state, its results so far and who waits for more. It runs on a
 * thread of its own ({@link #run}), which takes results from the pool as they come and appends them here;
 * HTTP requests read them from any thread. The first end (done, failed, cancelled) is the one that counts.
 */
abstract class ApiJob {

  enum State {
    RUNNING, DONE, FAILED, CANCELLED;

    String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  final String id;
  final long total;
  final Instant submitted = Instant.now();
  private final long startNanos = System.nanoTime();
  private final List<String> retries = new CopyOnWriteArrayList<>();
  private final Set<CompletableFuture<Void>> waiters = ConcurrentHashMap.newKeySet();
  private volatile State state = State.RUNNING;
  private volatile ObjectNode error;
  private volatile long done;
  private volatile long endNanos;
  private volatile Instant ended;

  ApiJob(String id, long total) {
    this.id = id;
    this.total = total;
  }

  /** {@code map} or {@code gather}. */
  abstract String kind();

  /** Runs the job to its end, on the calling thread; never throws. */
  abstract void run();

  /** Stops what still runs of the job (the run then ends by itself). */
  protected abstract void stopRunning(String reason);

  /** Results held, in the order they came. */
  abstract int available();

  /** Writes result {@code index} (below {@link #available()}). */
  abstract void writeResult(JsonGenerator json, int index) throws IOException;

  /** What the job is, for its JSON: task, chunk size, calls... */
  abstract void describe(ObjectNode json);

  State state() {
    return state;
  }

  ObjectNode error() {
    return error;
  }

  long done() {
    return done;
  }

  Instant ended() {
    return ended;
  }

  List<String> retries() {
    return List.copyOf(retries);
  }

  double elapsedSeconds() {
    long end = state == State.RUNNING ? System.nanoTime() : endNanos;
    return Math.round((end - startNanos) / 1e6) / 1e3;
  }

  /** Results the job holds until it is forgotten: all it expects while it runs, what it got once ended. */
  long heldResults() {
    return state == State.RUNNING ? total : available();
  }

  /** Cancels the job if it still runs; returns whether this call ended it. */
  boolean cancel(String reason) {
    boolean ended = end(State.CANCELLED, ErrorJson.of("CancellationException", reason));
    if (ended) stopRunning(reason);
    return ended;
  }

  // ---- for the run

  protected void progress(long inputsDone) {
    done = inputsDone;
  }

  protected void retried(String note) {
    retries.add(note);
    changed();
  }

  /** A result was appended: wake those who wait. Cheap when no one does. */
  protected void changed() {
    if (waiters.isEmpty()) return;
    for (CompletableFuture<Void> waiter : waiters) waiter.complete(null);
  }

  protected boolean finish() {
    return end(State.DONE, null);
  }

  protected boolean fail(Throwable cause) {
    return end(State.FAILED, ErrorJson.of(cause));
  }

  protected boolean fail(ObjectNode errorJson) {
    return end(State.FAILED, errorJson);
  }

  private boolean end(State to, ObjectNode why) {
    synchronized (this) {
      if (state != State.RUNNING) return false;
      error = why;
      endNanos = System.nanoTime();
      ended = Instant.now();
      if (to == State.DONE) done = Math.max(done, available());
      state = to;
    }
    changed(); // outside the lock: a waiting stream may write its next line on this thread
    return true;
  }

  /**
   * Completes when the job holds more than {@code seen} results or has ended, or after {@code atMost}: what a
   * stream waits on between two lines.
   */
  CompletionStage<Void> awaitChange(int seen, Duration atMost) {
    CompletableFuture<Void> waiter = new CompletableFuture<>();
    waiters.add(waiter);
    waiter.whenComplete((ok, e) -> waiters.remove(waiter));
    if (available() > seen || state != State.RUNNING) waiter.complete(null); // it changed before we listened
    return waiter.completeOnTimeout(null, atMost.toMillis(), TimeUnit.MILLISECONDS);
  }
}
