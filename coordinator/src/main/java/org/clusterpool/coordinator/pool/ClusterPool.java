package org.clusterpool.coordinator.pool;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.clusterpool.node.catalog.AllowedTasks;
import org.clusterpool.node.catalog.Fingerprints;
import org.clusterpool.node.protocol.Chunk;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.protocol.JobEvent;
import org.clusterpool.node.protocol.TaskSignature;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.ValueTypes;

/**
 * A pool of workers, as {@code multiprocessing.Pool} is a pool of processes, with the same methods:
 * {@code map}, {@code imap}, {@code imapUnordered}, {@code starmap}, {@code apply}, {@code applyAsync},
 * {@code close}, {@code terminate}, {@code join}.
 *
 * <pre>{@code
 * try (ClusterPool pool = ClusterPool.embedded(4)) {
 *   List<Long> squares = pool.map(BuiltinTasks.SQUARE, List.of(1L, 2L, 3L, 4L, 5L)); // [1, 4, 9, 16, 25]
 * }
 * }</pre>
 *
 * <p>Tasks are never sent: the pool sends the task's name, which version of it it means (a fingerprint of its class,
 * or the version it declares), and the inputs; the workers run their own copy, and only workers whose node has that
 * very version get the job. Inputs and results are typed by the task.
 *
 * <p>An embedded pool runs any {@link Task} object it is handed, on the workers of its own JVM: one of its catalog, an
 * object of a class that no jar lists, or one made from a function ({@link Task#cpu}, {@link Task#async}), as an
 * {@code ExecutorService} runs any {@code Callable}. A pool connected to workers in other JVMs runs only what their
 * nodes have: a task made from a function is refused at once ({@link TaskUnavailableException}), since a function never
 * leaves its JVM, and so is a job whose task no node has, naming what each node has.
 */
public final class ClusterPool implements AutoCloseable {

  private enum State { OPEN, CLOSING, TERMINATED }

  private final ActorSystem<?> system;
  private final boolean ownsSystem;
  private final ActorRef<CoordinatorProtocol.Command> coordinator;
  private final ActorRef<PoolClient.Command> client;
  private final ActorRef<JobEvent> events;
  /** The worker node of this JVM, for an embedded pool: any task object runs there. Null when the workers are elsewhere. */
  private final LocalNode local;
  private final PoolSettings settings;
  /** The tasks a job may run ({@code clusterpool.tasks.allowed}): another is refused here, and by the coordinator. */
  private final AllowedTasks allowed;
  private final AtomicInteger workerSlots;
  private final String idPrefix;
  private final AtomicLong jobCounter = new AtomicLong();
  private final Map<String, ClientJob<?, ?>> activeJobs = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private volatile State state = State.OPEN;
  /** Set once the actor system has terminated: a job started after that fails at once rather than wait. */
  private volatile boolean systemGone;

  private ClusterPool(
      ActorSystem<?> system,
      boolean ownsSystem,
      ActorRef<CoordinatorProtocol.Command> coordinator,
      LocalNode local,
      Config config,
      int workerSlots) {
    this.system = system;
    this.ownsSystem = ownsSystem;
    this.coordinator = coordinator;
    this.local = local;
    this.settings = PoolSettings.fromConfig(config);
    this.allowed = AllowedTasks.fromConfig(config);
    this.workerSlots = new AtomicInteger(Math.max(1, workerSlots));
    this.idPrefix = "j" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFL) + "-";
    CompletableFuture<ActorRef<JobEvent>> events = new CompletableFuture<>();
    this.client = system.systemActorOf(
        PoolClient.create(coordinator, settings, this.workerSlots, activeJobs, this::onJobEnded, events),
        "pool-client-" + idPrefix.substring(1, idPrefix.length() - 1),
        Props.empty());
    this.events = events.join();
    // a client never waits on a pool whose actor system is gone: what was running fails, clearly
    system.getWhenTerminated().whenComplete((done, error) -> {
      systemGone = true;
      for (ClientJob<?, ?> job : activeJobs.values()) job.sink.onFailure(systemGone());
      stopped.complete(null);
    });
  }

  /** A pool of one worker per available processor, in this JVM: {@code Pool()}. */
  public static ClusterPool embedded() {
    return start(0, ConfigFactory.empty());
  }

  /** As {@link #embedded()}, with settings that override {@code config/embedded.conf} (see {@link #embedded(int, Config)}). */
  public static ClusterPool embedded(Config overrides) {
    return start(0, overrides);
  }

  /**
   * A pool of {@code workers} workers in this JVM, like {@code Pool(processes=workers)}. As Python's {@code Pool},
   * it refuses fewer than one: {@link #embedded()} takes one per processor.
   */
  public static ClusterPool embedded(int workers) {
    return embedded(workers, ConfigFactory.empty());
  }

  /**
   * As {@link #embedded(int)}, with settings that override {@code config/embedded.conf}: among them
   * {@code clusterpool.tasks.path}, the jars of tasks the pool's node loads besides the class path's (tasks that cannot
   * be loaded are an {@link IllegalArgumentException} that says why, and nothing starts).
   */
  public static ClusterPool embedded(int workers, Config overrides) {
    if (workers < 1) {
      throw new IllegalArgumentException("the number of workers must be at least 1, got " + workers
          + " (as Python's Pool(processes=N)); ClusterPool.embedded() takes one per processor");
    }
    return start(workers, overrides);
  }

  private static ClusterPool start(int workers, Config overrides) {
    Embedded.Started started = Embedded.start(workers, overrides);
    int perNode = started.config().getInt("clusterpool.worker.per-node");
    return new ClusterPool(started.system(), true, started.coordinator(), started.node(), started.config(), perNode);
  }

  /**
   * A pool that submits to a coordinator reachable from {@code system}; the system stays the caller's. Its workers are
   * the cluster's: a job runs there only if their nodes have its task, at the same version.
   */
  public static ClusterPool connect(ActorSystem<?> system, ActorRef<CoordinatorProtocol.Command> coordinator, int workerSlotsHint) {
    return new ClusterPool(system, false, coordinator, null, system.settings().config(), workerSlotsHint);
  }

  // ---- map

  /** {@code Pool.map}: the task over every input, results in input order; the chunk size is chosen for you. */
  public <I, O> List<O> map(Task<I, O> task, Iterable<? extends I> inputs) {
    return await(mapAsync(task, inputs));
  }

  /** {@code Pool.map(f, xs, chunksize)}: as in Python, {@code chunksize} must be at least 1. */
  public <I, O> List<O> map(Task<I, O> task, Iterable<? extends I> inputs, int chunksize) {
    return await(mapAsync(task, inputs, chunksize));
  }

  /** {@code Pool.map_async(f, xs)}: the chunk size is chosen for you. */
  public <I, O> CompletionStage<List<O>> mapAsync(Task<I, O> task, Iterable<? extends I> inputs) {
    return collect(task, inputs, AUTOMATIC, JobListener.NONE);
  }

  /** {@code Pool.map_async(f, xs, chunksize)}: {@code chunksize} at least 1. */
  public <I, O> CompletionStage<List<O>> mapAsync(Task<I, O> task, Iterable<? extends I> inputs, int chunksize) {
    return collect(task, inputs, given(chunksize), JobListener.NONE);
  }

  /** As {@link #mapAsync(Task, Iterable, int)}, telling {@code listener} how the job goes. */
  public <I, O> CompletionStage<List<O>> mapAsync(
      Task<I, O> task, Iterable<? extends I> inputs, int chunksize, JobListener listener) {
    return collect(task, inputs, given(chunksize), listener);
  }

  private <I, O> CompletionStage<List<O>> collect(Task<I, O> task, Iterable<? extends I> inputs, int chunksize, JobListener listener) {
    InputSource<I> source = source(task, inputs);
    source.validateAll();
    CollectedResults<O> results = new CollectedResults<>(task.outputType(), source.remaining());
    start(task, source, chunksize, results, listener);
    return results.result();
  }

  /**
   * {@code Pool.imap}: results in input order, as they become available. The input is read lazily and only
   * a bounded window of chunks is in flight, so an input of any length streams through a small heap.
   */
  public <I, O> ResultIterator<O> imap(Task<I, O> task, Iterable<? extends I> inputs) {
    return stream(task, inputs, AUTOMATIC, true, JobListener.NONE);
  }

  /** {@code Pool.imap(f, xs, chunksize)}: as in Python, {@code chunksize} must be at least 1. */
  public <I, O> ResultIterator<O> imap(Task<I, O> task, Iterable<? extends I> inputs, int chunksize) {
    return stream(task, inputs, given(chunksize), true, JobListener.NONE);
  }

  /** {@code Pool.imap_unordered}: results in the order they complete. */
  public <I, O> ResultIterator<O> imapUnordered(Task<I, O> task, Iterable<? extends I> inputs) {
    return stream(task, inputs, AUTOMATIC, false, JobListener.NONE);
  }

  public <I, O> ResultIterator<O> imapUnordered(Task<I, O> task, Iterable<? extends I> inputs, int chunksize) {
    return stream(task, inputs, given(chunksize), false, JobListener.NONE);
  }

  /**
   * {@code imap} or {@code imapUnordered} with a listener; {@code chunksize} 0 chooses it for you (Python's
   * {@code chunksize=None}); a negative one is refused.
   */
  public <I, O> ResultIterator<O> stream(
      Task<I, O> task, Iterable<? extends I> inputs, int chunksize, boolean ordered, JobListener listener) {
    if (chunksize < 0) throw chunksizeRefused(chunksize);
    InputSource<I> source = source(task, inputs);
    StreamedResults<O> results = new StreamedResults<>(ordered);
    ClientJob<I, O> job = start(task, source, chunksize, results, listener);
    return new ResultIterator<>(
        job,
        results,
        j -> client.tell(new PoolClient.Consumed(j.jobId)),
        j -> client.tell(new PoolClient.Cancel(j.jobId, "the iterator was closed")));
  }

  /**
   * {@code Pool.starmap}: each tuple holds the arguments of one call; the task takes them as one record
   * ({@code pow} takes {@code Pow.Args(base, exponent)}).
   */
  public <R extends Record, O> List<O> starmap(Task<R, O> task, Iterable<? extends List<?>> tuples) {
    return await(collect(task, tuples(task, tuples), AUTOMATIC, JobListener.NONE));
  }

  /** {@code Pool.starmap(f, tuples, chunksize)}: as in Python, {@code chunksize} must be at least 1. */
  public <R extends Record, O> List<O> starmap(Task<R, O> task, Iterable<? extends List<?>> tuples, int chunksize) {
    int size = given(chunksize);
    return await(collect(task, tuples(task, tuples), size, JobListener.NONE));
  }

  private static <R extends Record> List<R> tuples(Task<R, ?> task, Iterable<? extends List<?>> tuples) {
    List<R> inputs = new ArrayList<>();
    long position = 0;
    for (List<?> tuple : tuples) {
      try {
        inputs.add(ValueTypes.fromTuple(task.inputType(), tuple));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("tuple at position " + position + " " + tuple + ": " + e.getMessage(), e);
      }
      position++;
    }
    return inputs;
  }

  /** How a job's chunk size reads internally: 0, Python's {@code chunksize=None}, has it chosen. */
  private static final int AUTOMATIC = 0;

  /** A chunk size the caller gave: Python's {@code Pool} refuses one below 1 ("Chunksize must be 1+"), and so does this. */
  private static int given(int chunksize) {
    if (chunksize < 1) throw chunksizeRefused(chunksize);
    return chunksize;
  }

  private static IllegalArgumentException chunksizeRefused(int chunksize) {
    return new IllegalArgumentException("chunksize must be at least 1, got " + chunksize
        + " (as in Python's Pool); leave it out to have it chosen");
  }

  // ---- apply

  /** {@code Pool.apply}: runs the task on one input on some worker and waits for the result. */
  public <I, O> O apply(Task<I, O> task, I input) {
    return await(applyAsync(task, input));
  }

  /** {@code Pool.apply_async}. */
  public <I, O> CompletionStage<O> applyAsync(Task<I, O> task, I input) {
    InputSource<I> source = source(task, List.of(Objects.requireNonNull(input, "input")));
    source.validateAll();
    SingleResult<O> result = new SingleResult<>();
    start(task, source, 1, result, JobListener.NONE);
    return result.result();
  }

  // ---- asyncio

  /** {@code asyncio.gather(*calls)} on this pool's workers; see {@link Gather} for the other forms. */
  public CompletionStage<Gathered> gather(Call<?>... calls) {
    return Gather.on(this).gather(calls);
  }

  public CompletionStage<Gathered> gather(List<Call<?>> calls) {
    return Gather.on(this).gather(calls);
  }

  /** {@code asyncio.gather(*calls, return_exceptions=True)}. */
  public CompletionStage<Gathered> gatherReturningExceptions(Call<?>... calls) {
    return Gather.on(this).gatherReturningExceptions(calls);
  }

  /** {@code asyncio.TaskGroup}: the first failure cancels the rest. */
  public CompletionStage<Gathered> taskGroup(Call<?>... calls) {
    return Gather.on(this).taskGroup(calls);
  }

  /** {@code asyncio.wait_for(call, timeout)}. */
  public <O> CompletionStage<O> waitFor(Call<O> call, Duration timeout) {
    return Gather.on(this).waitFor(call, timeout);
  }

  /** {@code asyncio.as_completed(calls)}. */
  public Gather.AsCompleted asCompleted(Call<?>... calls) {
    return Gather.on(this).asCompleted(calls);
  }

  // ---- the pool itself

  /** The coordinator's view of workers and jobs. */
  public ClusterStatus status(Duration timeout) {
    CompletionStage<ClusterStatus> status =
        AskPattern.ask(coordinator, CoordinatorProtocol.GetStatus::new, timeout, system.scheduler());
    return await(status);
  }

  /** Worker slots the pool knows of: cpu workers in the cluster at the last job's start. */
  public int workerSlots() {
    return workerSlots.get();
  }

  /**
   * {@code Pool.close}: no new work is accepted; work already submitted finishes, then the pool stops.
   * Returns at once; {@link #join} waits.
   */
  @Override
  public void close() {
    if (state == State.OPEN) {
      state = State.CLOSING;
      stopIfIdle();
    }
  }

  /** {@code Pool.terminate}: stops at once; unfinished jobs fail with a {@link CancellationException}. */
  public void terminate() {
    state = State.TERMINATED;
    for (ClientJob<?, ?> job : activeJobs.values()) client.tell(new PoolClient.Cancel(job.jobId, "the pool was terminated"));
    shutdown();
  }

  /** {@code Pool.join}: waits until the pool has stopped; call {@link #close} or {@link #terminate} first. */
  public void join() {
    join(Duration.ofDays(365));
  }

  public boolean join(Duration timeout) {
    if (state == State.OPEN) throw new IllegalStateException("join() needs close() or terminate() first, as in Python");
    try {
      stopped.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      return true;
    }
  }

  private <I> InputSource<I> source(Task<I, ?> task, Iterable<? extends I> inputs) {
    if (state != State.OPEN) throw new IllegalStateException("the pool is closed: it accepts no new work");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(inputs, "inputs");
    allowed.check(task.name()); // before anything is sent: the coordinator would refuse it too
    if (local == null) remoteSignature(task); // a task the workers cannot have is refused here, before anything is sent
    return InputSource.of(task, inputs, settings.maxTextLength(), settings.maxChunkBytes());
  }

  /** The task as workers in other JVMs know it: by its class, or the version it declares. */
  private static TaskSignature remoteSignature(Task<?, ?> task) {
    if (Fingerprints.isLambda(task)) {
      throw new TaskUnavailableException("task '" + task.name() + "' is made from a function (Task.cpu or Task.async): a"
          + " function never leaves the JVM that made it, and this pool's workers run in other JVMs; write it as a class"
          + " that implements CpuTask or AsyncTask, and give its jar to every node (--tasks), or use an embedded pool");
    }
    return new TaskSignature(task.name(), task.kind(), Fingerprints.of(task));
  }

  private <I, O> ClientJob<I, O> start(
      Task<I, O> task, InputSource<I> source, int chunksize, ResultSink<O> sink, JobListener listener) {
    return start(task, source, chunksize, sink, listener, null);
  }

  /** Starts a job of one chunk per input for a gather: the caller keeps the sink, and may cancel by id. */
  <I, O> String startCalls(Task<I, O> task, List<I> inputs, ResultSink<O> sink, CallLimit limit) {
    InputSource<I> source = source(task, inputs);
    source.validateAll();
    return start(task, source, 1, sink, JobListener.NONE, limit).jobId;
  }

  /** Cancels a job: its queued chunks are dropped, its running async calls stopped; its sink fails. */
  void cancel(String jobId, String reason) {
    client.tell(new PoolClient.Cancel(jobId, reason));
  }

  ActorSystem<?> system() {
    return system;
  }

  private <I, O> ClientJob<I, O> start(
      Task<I, O> task, InputSource<I> source, int chunksize, ResultSink<O> sink, JobListener listener, CallLimit limit) {
    int max = settings.maxChunkSize(task.outputType());
    ChunkSizer sizer = chunksize > 0 ? ChunkSizer.fixed(chunksize, max, settings) : ChunkSizer.automatic(max, settings);
    String jobId = idPrefix + jobCounter.incrementAndGet();
    boolean[] registered = {false};
    // in this JVM's node, the object is registered (and the coordinator told) before the job is submitted below
    TaskSignature signature = local != null ? local.register(task, coordinator, registered) : remoteSignature(task);
    ClientJob<I, O> job = new ClientJob<>(jobId, task, signature, registered[0], source, sizer, sink, listener, limit);
    List<Chunk> first;
    try {
      first = job.nextChunks(settings, workerSlots.get()); // a lazy input that fails, fails here
    } catch (RuntimeException e) {
      release(job);
      throw e;
    }
    if (job.allAnswered() && job.refused.isEmpty()) { // an empty input: nothing to send
      release(job);
      sink.onComplete(job);
      return job;
    }
    job.lastSent = job.inputExhausted();
    // once in the map the job belongs to the client actor; the caller sends its first chunks and lets go
    activeJobs.put(job.jobId, job);
    if (systemGone && activeJobs.remove(job.jobId) != null) { // checked after the put: the hook may have run before it
      release(job);
      sink.onFailure(systemGone());
      return job;
    }
    coordinator.tell(new CoordinatorProtocol.SubmitJob(job.jobId, signature, first, job.lastSent, events));
    if (limit != null) limit.join(job); // from here the actor feeds it when a permit frees
    // and now: the window may have more room than one message held, permits freed meanwhile, or inputs were refused
    if (!job.lastSent || !job.refused.isEmpty()) client.tell(new PoolClient.Feed(job.jobId));
    return job;
  }

  private void onJobEnded(ClientJob<?, ?> job) {
    activeJobs.remove(job.jobId);
    release(job);
    stopIfIdle();
  }

  /** The job's task object, registered for it with this JVM's node, is given back. */
  private void release(ClientJob<?, ?> job) {
    if (job.registered && local != null && !systemGone) local.release(job.signature, coordinator);
  }

  private void stopIfIdle() {
    if (state == State.CLOSING && activeJobs.isEmpty()) shutdown();
  }

  private synchronized void shutdown() {
    if (stopped.isDone()) return;
    for (ClientJob<?, ?> job : activeJobs.values()) {
      job.sink.onFailure(new CancellationException("the pool was terminated"));
    }
    if (ownsSystem) {
      system.terminate();
    } else {
      client.tell(PoolClient.Stop.INSTANCE);
      stopped.complete(null);
    }
  }

  private static IllegalStateException systemGone() {
    return new IllegalStateException("the pool stopped: its actor system terminated (with the coordinator, when in this JVM;"
        + " or its member was removed from the cluster)");
  }

  /** Waits for a stage and throws what it failed with ({@link TaskFailedException}, ...), not a wrapper around it. */
  public static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof RuntimeException r) throw r;
      if (cause instanceof Error err) throw err;
      throw new IllegalStateException(cause.getMessage(), cause);
    }
  }
}
