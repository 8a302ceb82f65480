package org.clusterpool.coordinator.pool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.task.Task;

/**
 * What runs a {@link ClusterPool}'s jobs: this JVM's pool client and the coordinator it reaches by
 * actor messages ({@link ActorPool}: embedded, a local cluster, a cluster member), or a cluster's
 * HTTP API ({@link ConnectedPool}). {@link ClusterPool} checks what the caller gives and keeps the
 * public API; each engine keeps the meaning of every call: results in order, failures at their
 * input, the input read lazily within a bounded window, nothing waiting without end.
 */
interface PoolEngine {

  /**
   * {@code map_async}: the results in input order; the first failure fails it, and the rest is
   * cancelled.
   */
  <I, O> CompletionStage<List<O>> mapAsync(
      Task<I, O> task, Iterable<? extends I> inputs, int chunksize, JobListener listener);

  /** {@code imap} ({@code ordered}) or {@code imap_unordered}, over a lazy iterable or a feed. */
  <I, O> ResultIterator<O> stream(
      Task<I, O> task, JobInputs<I> inputs, int chunksize, boolean ordered, JobListener listener);

  /** {@code apply_async}: one input, one chunk. */
  <I, O> CompletionStage<O> applyAsync(Task<I, O> task, I input);

  /**
   * A gather's calls of one task, as one job of one chunk per call, each call's outcome to {@code
   * sink}; at most as many running at once as {@code limit} allows (null: no limit). Returns how to
   * cancel them.
   */
  <I, O> CallsJob startCalls(Task<I, O> task, List<I> inputs, CallSink<O> sink, CallLimit limit);

  /** The coordinator's view of workers and jobs. */
  ClusterStatus status(Duration timeout);

  /** Cpu workers of the cluster at the last job's start. */
  int workerSlots();

  /**
   * No new work; what runs finishes, then the engine stops. A stream runs to its end too, read or
   * not, its results kept for its iterator: an unread iterator must not keep the engine open.
   */
  void close();

  /** Stops now: unfinished jobs fail with a {@code CancellationException}. */
  void terminate();

  /** Completes once the engine has stopped. */
  CompletionStage<Void> whenStopped();

  /** Whether the pool takes new work (not closed, not terminated). */
  boolean isOpen();

  /** A gather's job: cancelling it cancels its calls, on whichever node they run. */
  interface CallsJob {
    void cancel(String reason);
  }

  /** Where a gather's calls of one job end: each by its index among the job's inputs. */
  interface CallSink<O> {
    void result(int index, O value, String worker);

    /** The call's task failed; the error names the input and its position in the job. */
    void failed(int index, TaskFailedException error, String worker);

    /**
     * The call runs again (its worker was lost, or it passed its deadline): said so that a caller
     * who waits sees why.
     */
    default void retried(int index, String reason) {}

    /**
     * The call ended without its outcome, for another cause than its task (its job of its own was
     * lost): it fails with it.
     */
    void failedOne(int index, Throwable error);

    /**
     * The job ended without their outcome (cancelled, its coordinator lost): every call still open
     * fails with it.
     */
    void failedAll(Throwable error);
  }

  /**
   * A job's inputs: an iterable (a collection, a range, a lazy one), or a feed that fills while the
   * job runs.
   */
  record JobInputs<I>(Iterable<? extends I> iterable, InputFeed<I> feed) {
    static <I> JobInputs<I> of(Iterable<? extends I> inputs) {
      return new JobInputs<>(inputs, null);
    }

    static <I> JobInputs<I> of(InputFeed<I> feed) {
      return new JobInputs<>(null, feed);
    }
  }
}
