package org.clusterpool.coordinator.pool;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.clusterpool.coordinator.connect.ApiClient;
import org.clusterpool.coordinator.connect.ApiTrust;
import org.clusterpool.coordinator.connect.JobResults;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.ValueType;

/**
 * The engine of {@link ClusterPool#connect(String)}: a running cluster reached through its HTTP
 * API, one port that crosses firewalls and load balancers. Each job is a {@code POST /map} (inputs
 * as JSON, by the task's own types), followed on its stream; each result is decoded by the task's
 * output type, each failure becomes the exception it is in this JVM. Closing the pool ends what it
 * runs here and leaves the cluster running; terminating it cancels its jobs on the cluster ({@code
 * DELETE /jobs/{id}}).
 *
 * <p>An {@code imap} goes as a run of jobs of one page of inputs each, read as the consumer goes
 * ({@link PagedResults}). Limits of the HTTP transport, against an embedded or local pool: an
 * {@code imap} ends at its first failed input (the API ends a map job there); {@code imapUnordered}
 * does not know which input a result is for ({@link ResultIterator#position()} is -1); a gather
 * runs each call as a job of its own, at most {@value #CALLS_IN_FLIGHT} at once.
 *
 * <p>Over 400 lines: it implements every operation of a pool's engine over HTTP (map, paged imap,
 * gather, cancel), each one short; the request bodies are {@link MapRequest}'s and following a
 * job's stream is {@code JobFollower}'s.
 */
final class ConnectedPool implements PoolEngine {
  static final int CALLS_IN_FLIGHT = 64;
  private static final Set<String> ROUTES_NEEDED =
      Set.of("POST /map", "GET /jobs/{id}/stream", "DELETE /jobs/{id}", "GET /tasks");

  private final ApiClient api;
  private final Duration idleLimit;

  /** Follows jobs: one thread a job that runs (a stream read blocks). */
  private final ExecutorService threads;

  /**
   * Runs a gather's calls: at most {@link #CALLS_IN_FLIGHT} threads, the other calls wait their
   * turn in its queue.
   */
  private final ThreadPoolExecutor callThreads;

  private final Map<CallLimit, Semaphore> limits =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
  private final Set<HttpJob> running = ConcurrentHashMap.newKeySet();

  /** The imaps not yet ended: closing the pool lets them run to their end without their reader. */
  private final Set<PagedResults<?, ?>> streams = ConcurrentHashMap.newKeySet();

  private final AtomicInteger unfinished = new AtomicInteger();
  private final Map<String, String> checkedTasks = new ConcurrentHashMap<>();
  private final EngineLifecycle lifecycle =
      new EngineLifecycle(() -> unfinished.get() == 0, this::stopNow);
  private volatile int workerSlots;

  private ConnectedPool(ApiClient api, Duration idleLimit, int workerSlots) {
    this.api = api;
    this.idleLimit = idleLimit;
    this.workerSlots = Math.max(1, workerSlots);
    AtomicInteger count = new AtomicInteger();
    ThreadFactory daemons =
        run -> {
          Thread thread = new Thread(run, "clusterpool-connected-" + count.incrementAndGet());
          thread.setDaemon(
              true); // a job's follower never keeps the program alive: closing the pool is the
          // user's word
          return thread;
        };
    this.threads = Executors.newCachedThreadPool(daemons);
    this.callThreads =
        new ThreadPoolExecutor(
            CALLS_IN_FLIGHT,
            CALLS_IN_FLIGHT,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            daemons);
    callThreads.allowCoreThreadTimeOut(true);
  }

  /**
   * The cluster at {@code url}, once it has said it is a clusterpool coordinator that speaks this
   * API: nothing that answers, something else answering, and another version of the API are each
   * one line. Its first answers within {@code startTimeout} in all; then each request within {@code
   * requestTimeout}, which is also how long a job's stream may stay silent.
   */
  static ConnectedPool open(
      URI url, String token, ApiTrust trust, Duration startTimeout, Duration requestTimeout) {
    long start = System.nanoTime();
    ApiClient api = new ApiClient(url, token, trust).withTimeout(requestTimeout);
    JsonNode index;
    try {
      index = api.get("/", startTimeout);
    } catch (ApiClient.Unreachable e) {
      throw new IllegalStateException(
          "the cluster at "
              + api.base()
              + " does not answer: "
              + e.getMessage()
              + e.hint(
                  "; is it running? ('clusterpool cluster status'; start one with 'clusterpool"
                      + " cluster up N')"));
    } catch (ApiClient.Failure e) {
      if (e.status() == 401) {
        throw new IllegalStateException(
            "the cluster at "
                + api.base()
                + (token == null ? " asks for a token" : " refused the token given")
                + ": give its token with ClusterPool.builder().token(...) or .tokenFile(...), or"
                + " CLUSTERPOOL_TOKEN ('clusterpool cluster token' prints the token of the cluster"
                + " 'cluster up' started)");
      }
      throw new IllegalStateException(
          api.base()
              + " is not a clusterpool coordinator's HTTP API (it answered "
              + e.getMessage()
              + ")");
    }
    if (!index.path("service").asText().equals("clusterpool coordinator HTTP API")) {
      throw new IllegalStateException(
          api.base() + " answers, but not as a clusterpool coordinator's HTTP API");
    }
    Set<String> routes = new java.util.HashSet<>();
    for (JsonNode route : index.path("routes")) {
      for (String part : route.path("route").asText().split(",\\s*"))
        routes.add(part.contains(" ") ? part : "GET " + part);
    }
    for (String needed : ROUTES_NEEDED) {
      if (!routes.contains(needed)) {
        throw new IllegalStateException(
            "the cluster at "
                + api.base()
                + " speaks another version of clusterpool's HTTP API"
                + " (it has no "
                + needed
                + "): use the same clusterpool version as the cluster");
      }
    }
    ConnectedPool pool = new ConnectedPool(api, requestTimeout, 1);
    Duration left = startTimeout.minusNanos(System.nanoTime() - start);
    pool.workerSlots =
        Math.max(1, pool.status(left.toMillis() < 1 ? Duration.ofMillis(1) : left).workerSlots());
    return pool;
  }

  URI url() {
    return api.base();
  }

  // ---- jobs

  @Override
  public <I, O> CompletionStage<List<O>> mapAsync(
      Task<I, O> task, Iterable<? extends I> inputs, int chunksize, JobListener listener) {
    HttpJob job = submit(task, inputs, chunksize, true);
    // no input: no job, as in an embedded pool (and Python's map), and no request either
    if (job == null) return CompletableFuture.completedFuture(new ArrayList<>());
    CompletableFuture<List<O>> result = new CompletableFuture<>();
    List<O> values = new ArrayList<>();
    ValueType<O> type = task.outputType();
    follow(
        job,
        line -> {
          for (JsonNode value : line.path("results")) values.add(JobResults.value(type, value));
          listener.progress(job.id(), line.path("done").asLong(), line.path("total").asLong());
        },
        end -> {
          if (HttpJob.done(end)) result.complete(values);
          else result.completeExceptionally(HttpJob.failure(end.path("error")));
        },
        result::completeExceptionally);
    // cancelling the result (its caller, or ClusterPool.await when interrupted) cancels the job
    result.whenComplete(
        (list, error) -> {
          if (result.isCancelled()) job.cancel();
        });
    return result;
  }

  @Override
  public <I, O> ResultIterator<O> stream(
      Task<I, O> task, JobInputs<I> inputs, int chunksize, boolean ordered, JobListener listener) {
    if (inputs.feed() != null) {
      throw new UnsupportedOperationException(
          "a pool connected over HTTP takes a job's inputs in its request: give them"
              + " as an Iterable, or use an embedded or local pool for an InputFeed");
    }
    unfinished
        .incrementAndGet(); // an iteration counts as one job until it ends: close() lets it send
    // its next pages
    List<PagedResults<?, ?>> made = new ArrayList<>(1);
    PagedResults.Submitter submitter =
        new PagedResults.Submitter() {
          @Override
          public HttpJob submit(List<JsonNode> page) {
            checkTask(task); // at the first page: an empty input asks the cluster nothing
            HttpJob job = HttpJob.submit(api, MapRequest.body(task, page, chunksize, ordered));
            if (job.workers() > 0) workerSlots = job.workers();
            return job;
          }

          @Override
          public void follow(
              HttpJob job,
              Consumer<JsonNode> onLine,
              Consumer<JsonNode> onEnd,
              Consumer<Throwable> onError) {
            ConnectedPool.this.follow(job, onLine, onEnd, onError);
          }

          @Override
          public void ended() {
            synchronized (made) {
              if (!made.isEmpty()) streams.remove(made.get(0));
              made.clear();
            }
            jobEnded();
          }

          @Override
          public boolean stopped() {
            return lifecycle.stopped().isDone();
          }

          @Override
          public boolean terminated() {
            return lifecycle.isTerminated();
          }
        };
    // a first page that is refused ends the iteration before it begins, and with it its count
    // (ended() above)
    PagedResults<I, O> pages =
        new PagedResults<>(task, inputs.iterable(), ordered, submitter, listener);
    synchronized (made) {
      if (!pages.hasEnded()) {
        made.add(pages);
        streams.add(pages);
      }
    }
    if (!lifecycle.isOpen()) drain(pages); // closed meanwhile: close() may have missed it
    return new ResultIterator<>(pages).whenDropped(closeWhenDropped(pages, threads));
  }

  /**
   * What an imap whose iterator is dropped does: its pages close, their jobs cancelled on the
   * cluster, on a thread of the pool (a cancel waits for its answer). Without it, a dropped
   * iterator's jobs ran on the cluster to their end after close(), their results kept here for
   * nobody. Static: it refers to neither the iterator nor the pool.
   */
  private static Runnable closeWhenDropped(PagedResults<?, ?> pages, ExecutorService threads) {
    return () -> {
      if (pages.hasEnded()) return;
      try {
        threads.execute(pages::close);
      } catch (RejectedExecutionException e) { // the pool ended: its pages ended with it
      }
    };
  }

  /** Lets the imap run to its end without its reader, on a thread of the pool. */
  private void drain(PagedResults<?, ?> pages) {
    try {
      threads.execute(pages::drain);
    } catch (RejectedExecutionException e) { // terminated meanwhile: its pages end with the pool
    }
  }

  @Override
  public <I, O> CompletionStage<O> applyAsync(Task<I, O> task, I input) {
    CompletableFuture<List<O>> job =
        mapAsync(task, List.of(input), 1, JobListener.NONE).toCompletableFuture();
    CompletableFuture<O> result = job.thenApply(values -> values.get(0));
    result.whenComplete(
        (value, error) -> {
          if (result.isCancelled()) job.cancel(false); // and with it the job on the cluster
        });
    return result;
  }

  /**
   * Each call a job of its own, so that one call's failure is that call's alone (the API ends a map
   * job at its first failure); at most {@link #CALLS_IN_FLIGHT} at once, and at most the gather's
   * limit.
   */
  @Override
  public <I, O> CallsJob startCalls(
      Task<I, O> task, List<I> inputs, CallSink<O> sink, CallLimit limit) {
    if (!inputs.isEmpty()) checkTask(task);
    Semaphore gatherLimit =
        limit == null ? null : limits.computeIfAbsent(limit, l -> new Semaphore(l.permits()));
    AtomicBoolean cancelled = new AtomicBoolean();
    Set<HttpJob> calls = ConcurrentHashMap.newKeySet();
    String[] reason = {"cancelled"};
    for (int i = 0; i < inputs.size(); i++) {
      int index = i;
      I input = inputs.get(i);
      unfinished.incrementAndGet();
      Runnable call =
          () -> {
            boolean gatherPermit = false;
            try {
              if (gatherLimit != null && !stopped(cancelled)) {
                gatherLimit.acquire();
                gatherPermit = true;
              }
              if (stopped(cancelled)) {
                sink.failedOne(index, new CancellationException(reason[0]));
                return;
              }
              HttpJob job = HttpJob.submit(api, MapRequest.body(task, List.of(input), 1, true));
              calls.add(job);
              running.add(job);
              if (cancelled.get()) job.cancel();
              JsonNode[] value = {null};
              JsonNode end =
                  job.follow(
                      idleLimit,
                      line -> {
                        for (JsonNode v : line.path("results")) value[0] = v;
                      });
              running.remove(job);
              if (HttpJob.done(end) && value[0] != null) {
                sink.result(index, JobResults.value(task.outputType(), value[0]), "");
              } else {
                RuntimeException error = HttpJob.failure(end.path("error"));
                if (error instanceof TaskFailedException failed) {
                  sink.failed(
                      index,
                      new TaskFailedException(
                          failed.task(), index, failed.input(), failed.remoteError()),
                      failed.remoteError().where());
                } else {
                  sink.failedOne(index, error);
                }
              }
            } catch (InterruptedException e) {
              sink.failedOne(index, new CancellationException("the pool was terminated"));
            } catch (RuntimeException e) {
              sink.failedOne(
                  index,
                  lifecycle.isTerminated()
                      ? new CancellationException("the pool was terminated")
                      : e);
            } finally {
              if (gatherPermit) gatherLimit.release();
              jobEnded();
            }
          };
      try {
        callThreads.execute(call);
      } catch (RejectedExecutionException e) { // terminated meanwhile
        jobEnded();
        sink.failedOne(index, new CancellationException("the pool was terminated"));
      }
    }
    return why -> {
      reason[0] = why;
      cancelled.set(true);
      HttpJob.cancelAll(List.copyOf(calls)); // at once, within a cancel's short limit
    };
  }

  // ---- the pool itself

  @Override
  public ClusterStatus status(Duration timeout) {
    try {
      return RemoteStatus.of(api.get("/cluster", timeout));
    } catch (ApiClient.Unreachable e) {
      throw new IllegalStateException(
          "the cluster at " + api.base() + " does not answer: " + e.getMessage());
    } catch (ApiClient.Failure e) {
      throw new IllegalStateException(
          "the cluster at " + api.base() + " did not give its status: " + e.getMessage());
    }
  }

  @Override
  public int workerSlots() {
    return workerSlots;
  }

  /**
   * No new work; what runs goes to its end, imaps included, whether or not their iterators are read
   * (their results are kept for them): the pool then stops.
   */
  @Override
  public void close() {
    if (!lifecycle.isOpen()) return;
    lifecycle.close();
    for (PagedResults<?, ?> pages : streams) drain(pages);
  }

  @Override
  public void terminate() {
    lifecycle.terminate();
    HttpJob.cancelAll(List.copyOf(running)); // at once, within a cancel's short limit
    threads.shutdownNow();
    // the calls still queued fail here, at once (the pool is terminated): dropped, their gather
    // would wait for them for ever
    for (Runnable queued : callThreads.shutdownNow()) queued.run();
    lifecycle.stopped().complete(null);
  }

  private boolean stopped(AtomicBoolean cancelled) {
    return cancelled.get() || lifecycle.isTerminated();
  }

  @Override
  public CompletionStage<Void> whenStopped() {
    return lifecycle.stopped();
  }

  @Override
  public boolean isOpen() {
    return lifecycle.isOpen();
  }

  // ---- how a job goes

  /** The job of these inputs, submitted; null when there are none (nothing is asked then). */
  private <I> HttpJob submit(
      Task<I, ?> task, Iterable<? extends I> inputs, int chunksize, boolean ordered) {
    java.util.Iterator<? extends I> each = inputs.iterator(); // the input is read once
    if (!each.hasNext()) return null;
    checkTask(task);
    byte[] body = MapRequest.body(task, once(each), chunksize, ordered);
    HttpJob job = HttpJob.submit(api, body);
    if (job.workers() > 0) workerSlots = job.workers();
    return job;
  }

  /** An iterator's rest as an iterable, for a body that reads it where it stands. */
  private static <T> Iterable<T> once(java.util.Iterator<T> rest) {
    return () -> rest;
  }

  /**
   * Follows the job on a thread of the pool; the job counts as running until its end is handed on.
   */
  private void follow(
      HttpJob job,
      Consumer<JsonNode> onLine,
      Consumer<JsonNode> onEnd,
      Consumer<Throwable> onError) {
    running.add(job);
    unfinished.incrementAndGet();
    try {
      threads.execute(
          () -> {
            try {
              onEnd.accept(job.follow(idleLimit, onLine));
            } catch (RuntimeException e) {
              onError.accept(
                  lifecycle.isTerminated()
                      ? new CancellationException("the pool was terminated")
                      : e);
            } finally {
              running.remove(job);
              jobEnded();
            }
          });
    } catch (RejectedExecutionException e) { // terminated meanwhile
      running.remove(job);
      job.cancel();
      jobEnded();
      onError.accept(new CancellationException("the pool was terminated"));
    }
  }

  private void jobEnded() {
    unfinished.decrementAndGet();
    lifecycle.stopIfIdle();
  }

  /** A closed pool, once idle: its threads end, the cluster runs on. */
  private void stopNow() {
    threads.shutdown();
    callThreads.shutdown();
    lifecycle.stopped().complete(null);
  }

  /**
   * Whether the cluster runs this task, at this version, before any input goes: a task made from a
   * function, one the coordinator lacks, and another version of it are each a {@link
   * TaskUnavailableException} that says what to do.
   */
  private void checkTask(Task<?, ?> task) {
    String mine = ActorPool.remoteSignature(task).fingerprint();
    if (mine.equals(checkedTasks.get(task.name()))) return;
    JsonNode answer;
    try {
      answer = api.get("/tasks");
    } catch (ApiClient.Unreachable e) {
      throw new IllegalStateException(
          "the cluster at " + api.base() + " does not answer: " + e.getMessage());
    } catch (ApiClient.Failure e) {
      throw new IllegalStateException(
          "the cluster at " + api.base() + " did not say what it runs: " + e.getMessage());
    }
    JsonNode member = null;
    for (JsonNode t : answer.path("tasks"))
      if (t.path("name").asText().equals(task.name())) member = t;
    if (member == null) {
      throw new TaskUnavailableException(
          "the cluster at "
              + api.base()
              + " has no task '"
              + task.name()
              + "': start it with"
              + " the task's jar ('clusterpool cluster up N --tasks PATH')");
    }
    String theirs = member.path("fingerprint").asText();
    if (!theirs.equals(mine)) {
      throw new TaskUnavailableException(
          "task '"
              + task.name()
              + "' here is "
              + mine
              + ", and the cluster at "
              + api.base()
              + " has "
              + theirs
              + " (from "
              + member.path("source").asText()
              + "): another version; give the cluster the same jar");
    }
    checkedTasks.put(task.name(), mine);
  }
}
