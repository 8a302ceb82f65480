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
import java.util.concurrent.atomic.AtomicInteger;
import org.clusterpool.coordinator.input.Echo;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.coordinator.pool.PoolActors;

/**
 * A job submitted through the API: its state, its results so far and who waits for more. It runs on
 * a thread of its own ({@link #run}), which takes results from the pool as they come and appends
 * them here; HTTP requests read them from any thread. The first end (done, failed, cancelled) is
 * the one that counts.
 *
 * <p>Its heap is counted ({@link #countedBytes}): while it runs, what it was admitted with or, when
 * its results turn out larger, what they will take at the end; once ended, what it holds. A running
 * job whose results outgrow the room it has asks the registry for more ({@link #stillFits}), and
 * fails when there is none.
 */
abstract class ApiJob {
  /** Retry notes kept at most; the count goes on. */
  static final int MAX_RETRY_NOTES = 100;

  /** Results, or bytes of results, between two checks that the job still fits. */
  private static final int CHECK_EVERY = 1024;

  private static final long CHECK_BYTES = 1 << 20;

  enum State {
    RUNNING,
    DONE,
    FAILED,
    CANCELLED;

    String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  final String id;
  final long total;
  final Instant submitted = Instant.now();
  private final long startNanos = System.nanoTime();
  private final List<String> retries = new CopyOnWriteArrayList<>();

  /**
   * What the coordinator's ids of this job's parts start with (its pool's), so that the dashboard
   * shows them under it.
   */
  private volatile String coordinatorPrefix;

  private volatile long retried;
  private final Set<CompletableFuture<Void>> waiters = ConcurrentHashMap.newKeySet();
  private volatile State state = State.RUNNING;
  private volatile ObjectNode error;
  private volatile long errorBytes;
  private volatile long done;
  private volatile long endNanos;
  private volatile Instant ended;

  /**
   * The heap the registry counts for this job while it runs; it grows when the results turn out
   * larger.
   */
  private volatile long reserved;

  /** Asks the registry for more room: null until the job is started. */
  private volatile Room room;

  private int sinceCheck;
  private long bytesAtCheck;

  /** Streams of this job open now. */
  private final AtomicInteger followers = new AtomicInteger();

  /** When its last stream closed, or when it was made; read while none is open. */
  private volatile long unfollowedSinceNanos = System.nanoTime();

  /** Cancelled once no stream of it has been open this long; null: never. */
  private volatile Duration abandonedAfter;

  ApiJob(String id, long total) {
    this.id = id;
    this.total = total;
  }

  /** Where a running job asks for more heap when its results outgrow what it has. */
  interface Room {
    /**
     * Whether the job may hold {@code bytes} in all; false when even forgetting finished jobs
     * leaves no room.
     */
    boolean grow(ApiJob job, long bytes);

    /** The heap all jobs may hold, for messages. */
    long maxBytes();
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

  /** About the heap its results take now. */
  abstract long resultBytes();

  /**
   * About the heap its results will take once there are {@code count} of them, from those so far
   * (or a guess).
   */
  abstract long resultBytesAt(long count);

  /** About the heap its inputs (or calls) take while it runs; 0 once it has ended. */
  abstract long inputBytes();

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

  /**
   * The job runs on {@code pool}, which is its own: the coordinator knows its parts by the pool's
   * prefix.
   */
  protected void runsOn(ClusterPool pool) {
    coordinatorPrefix = PoolActors.jobIdPrefix(pool).orElse(null);
  }

  /** Null before the job has its pool. */
  String coordinatorPrefix() {
    return coordinatorPrefix;
  }

  /** The notes of the first {@value #MAX_RETRY_NOTES} chunks that ran again. */
  List<String> retries() {
    return List.copyOf(retries);
  }

  /** Chunks that ran again, all of them. */
  long retried() {
    return retried;
  }

  double elapsedSeconds() {
    long end = state == State.RUNNING ? System.nanoTime() : endNanos;
    return Math.round((end - startNanos) / 1e6) / 1e3;
  }

  /**
   * The heap the registry counts for the job: while it runs, the most of what it was given and what
   * its results will take at the end; once ended, what it holds (results, error, notes).
   */
  long countedBytes() {
    if (state == State.RUNNING) return Math.max(reserved, projectedBytes());
    return heldBytes();
  }

  /**
   * What the job will hold at its end, at the rate its results come: inputs, and all its results.
   */
  long projectedBytes() {
    return inputBytes() + resultBytesAt(Math.max(total, available())) + errorBytes + notesBytes();
  }

  /** What the job holds now. */
  long heldBytes() {
    return inputBytes() + resultBytes() + errorBytes + notesBytes();
  }

  private long notesBytes() {
    long bytes = 0;
    for (String note : retries) bytes += HeapSizes.SLOT + HeapSizes.string(note.length());
    return bytes;
  }

  /** The registry admits the job with this much room, and asks there for more. */
  void admitted(long bytes, Room room) {
    this.reserved = bytes;
    this.room = room;
  }

  long reserved() {
    return reserved;
  }

  /** Its client asks that it be cancelled once nobody has followed it for {@code after}. */
  void abandonedAfter(Duration after) {
    abandonedAfter = after;
  }

  /** A stream of it opened. */
  void followed() {
    followers.incrementAndGet();
  }

  /** A stream of it closed (its client read to the end, or went away). */
  void unfollowed() {
    if (followers.decrementAndGet() == 0) unfollowedSinceNanos = System.nanoTime();
  }

  /**
   * Cancels it if it runs, asked to be cancelled once abandoned, and nobody has followed it for
   * that long; returns whether this call ended it.
   */
  boolean cancelIfAbandoned(long nowNanos) {
    Duration after = abandonedAfter;
    if (after == null || state != State.RUNNING || followers.get() > 0) return false;
    if (nowNanos - unfollowedSinceNanos < after.toNanos()) return false;
    return cancel(
        "nobody has followed it for "
            + after.toSeconds()
            + " s (abandoned_after): its client went away");
  }

  /** The registry gave it more room. */
  void reserve(long bytes) {
    reserved = Math.max(reserved, bytes);
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
    retried++;
    if (retries.size() < MAX_RETRY_NOTES) retries.add(Echo.line(note));
    changed();
  }

  /**
   * Called by the run after each result: whether the job still fits in the heap it may use. Every
   * {@value #CHECK_EVERY} results or MiB of results, it compares where its results are heading with
   * its room, and asks for more when it has outgrown it; false when there is none (the run then
   * fails the job with {@link #outgrown}).
   */
  protected boolean stillFits() {
    if (++sinceCheck < CHECK_EVERY && resultBytes() - bytesAtCheck < CHECK_BYTES) return true;
    sinceCheck = 0;
    bytesAtCheck = resultBytes();
    long projected = projectedBytes();
    if (projected <= reserved) return true;
    Room r = room;
    return r == null || r.grow(this, projected);
  }

  /**
   * The job's end when its results outgrew the room: what it holds stays, and is counted as such.
   */
  protected boolean outgrown() {
    Room r = room;
    long maxBytes = r == null ? 0 : r.maxBytes();
    String message =
        "its results outgrew the room the HTTP API has for them: at "
            + available()
            + " of "
            + total
            + " results they were heading for about "
            + HeapSizes.mebibytes(projectedBytes())
            + ", and the jobs kept may hold"
            + " at most "
            + HeapSizes.mebibytes(maxBytes)
            + " in all (clusterpool.http.max-result-bytes); the results so far"
            + " stay: run fewer inputs a job";
    return end(State.FAILED, ErrorJson.of("ResultsTooLargeException", message));
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
    ObjectNode json;
    try {
      json = ErrorJson.of(cause);
    } catch (
        Throwable again) { // out of memory while saying so: the shortest line that still says what
      json = ErrorJson.minimal(cause);
    }
    return end(State.FAILED, json);
  }

  protected boolean fail(ObjectNode errorJson) {
    return end(State.FAILED, errorJson);
  }

  private boolean end(State to, ObjectNode why) {
    synchronized (this) {
      if (state != State.RUNNING) return false;
      error = why;
      errorBytes = why == null ? 0 : HeapSizes.json(why);
      endNanos = System.nanoTime();
      ended = Instant.now();
      if (to == State.DONE) done = Math.max(done, available());
      state = to;
    }
    changed(); // outside the lock: a waiting stream may write its next line on this thread
    return true;
  }

  /**
   * Completes when the job holds more than {@code seen} results or has ended, or after {@code
   * atMost}: what a stream waits on between two lines.
   */
  CompletionStage<Void> awaitChange(int seen, Duration atMost) {
    CompletableFuture<Void> waiter = new CompletableFuture<>();
    waiters.add(waiter);
    waiter.whenComplete((ok, e) -> waiters.remove(waiter));
    if (available() > seen || state != State.RUNNING)
      waiter.complete(null); // it changed before we listened
    return waiter.completeOnTimeout(null, atMost.toMillis(), TimeUnit.MILLISECONDS);
  }
}
