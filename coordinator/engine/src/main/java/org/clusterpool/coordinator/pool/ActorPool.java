package org.clusterpool.coordinator.pool;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.clusterpool.coordinator.input.Echo;
import org.clusterpool.node.catalog.AllowedTasks;
import org.clusterpool.node.catalog.Fingerprints;
import org.clusterpool.node.handle.Waits;
import org.clusterpool.node.protocol.Chunk;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.protocol.JobEvent;
import org.clusterpool.node.protocol.TaskSignature;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.wire.Values;
import org.clusterpool.node.worker.FatalErrors;

/**
 * A pool whose jobs go to a coordinator by actor messages, through this JVM's pool client ({@link
 * PoolClient}): the embedded pool (the coordinator and the workers in this JVM), a {@code
 * LocalCluster}'s (this JVM the coordinator, the workers in JVMs it started), and a pool on any
 * member of a cluster ({@link ClusterPool#connect(ActorSystem, ActorRef, int)}). The caller cuts a
 * job's first chunks and submits them; the client actor owns the job from then on.
 */
final class ActorPool implements PoolEngine {

  private final ActorSystem<?> system;
  private final boolean ownsSystem;
  private final ActorRef<CoordinatorProtocol.Command> coordinator;
  private final ActorRef<PoolClient.Command> client;
  private final ActorRef<JobEvent> events;

  /**
   * The worker node of this JVM, for an embedded pool: any task object runs there. Null when the
   * workers are elsewhere.
   */
  private final LocalNode local;

  private final PoolSettings settings;

  /**
   * The tasks a job may run ({@code clusterpool.tasks.allowed}): another is refused here, and by
   * the coordinator.
   */
  private final AllowedTasks allowed;

  private final AtomicInteger workerSlots;
  private final String idPrefix;
  private final AtomicLong jobCounter = new AtomicLong();
  private final Map<String, ClientJob<?, ?>> activeJobs = new ConcurrentHashMap<>();
  private final EngineLifecycle lifecycle =
      new EngineLifecycle(activeJobs::isEmpty, this::shutdown);

  /**
   * Set once the actor system has terminated: a job started after that fails at once rather than
   * wait.
   */
  private volatile boolean systemGone;

  /** Made at the start, so that it is there to read once the system has gone. */
  private final FatalErrors fatalErrors;

  ActorPool(
      ActorSystem<?> system,
      boolean ownsSystem,
      ActorRef<CoordinatorProtocol.Command> coordinator,
      LocalNode local,
      Config config,
      int workerSlots) {
    this.system = system;
    this.fatalErrors = FatalErrors.get(system);
    this.ownsSystem = ownsSystem;
    this.coordinator = coordinator;
    this.local = local;
    this.settings = PoolSettings.fromConfig(config);
    this.allowed = AllowedTasks.fromConfig(config);
    this.workerSlots = new AtomicInteger(Math.max(1, workerSlots));
    this.idPrefix =
        "j" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFL) + "-";
    CompletableFuture<ActorRef<JobEvent>> events = new CompletableFuture<>();
    this.client =
        system.systemActorOf(
            PoolClient.create(
                coordinator, settings, this.workerSlots, activeJobs, this::onJobEnded, events),
            "pool-client-" + idPrefix.substring(1, idPrefix.length() - 1),
            Props.empty());
    this.events = events.join();
    // a client never waits on a pool whose actor system is gone: what was running fails, clearly
    system
        .getWhenTerminated()
        .whenComplete(
            (done, error) -> {
              systemGone = true;
              for (ClientJob<?, ?> job : activeJobs.values()) job.sink.onFailure(systemGone());
              lifecycle.stopped().complete(null);
            });
  }

  ActorSystem<?> system() {
    return system;
  }

  ActorRef<CoordinatorProtocol.Command> coordinator() {
    return coordinator;
  }

  /** What the ids of this pool's jobs start with, at the coordinator ({@code j3f9c1a-}). */
  String jobIdPrefix() {
    return idPrefix;
  }

  // ---- jobs

  @Override
  public <I, O> CompletionStage<List<O>> mapAsync(
      Task<I, O> task, Iterable<? extends I> inputs, int chunksize, JobListener listener) {
    InputSource<I> source = source(task, inputs);
    source.validateAll();
    CollectedResults<O> results = new CollectedResults<>(task.outputType(), source.remaining());
    return cancellable(results.result(), start(task, source, chunksize, results, listener, null));
  }

  @Override
  public <I, O> ResultIterator<O> stream(
      Task<I, O> task, JobInputs<I> inputs, int chunksize, boolean ordered, JobListener listener) {
    InputSource<I> source =
        inputs.feed() != null
            ? InputSource.of(
                admitted(task), inputs.feed(), settings.maxTextLength(), settings.maxChunkBytes())
            : source(task, inputs.iterable());
    StreamedResults<O> results = new StreamedResults<>(ordered);
    ClientJob<I, O> job = start(task, source, chunksize, results, listener, null);
    if (inputs.feed() != null) {
      String jobId = job.jobId;
      inputs.feed().attach(() -> client.tell(new PoolClient.Feed(jobId)));
    }
    return new ResultIterator<>(
            new StreamedIteration<>(
                job,
                results,
                j -> client.tell(new PoolClient.Consumed(j.jobId)),
                j -> client.tell(new PoolClient.Cancel(j.jobId, "the iterator was closed")),
                lifecycle.stopped()))
        .whenDropped(whenDropped(client, activeJobs, job.jobId, lifecycle.stopped()));
  }

  /**
   * What an imap whose iterator is dropped does: its job, if still running, is cancelled, and its
   * results, held by the job alone from then on, are freed with it. Without this, a dropped
   * iterator's job would run on after close(), its results kept for nobody without bound. Static:
   * it refers to neither the iterator nor its job.
   */
  private static Runnable whenDropped(
      ActorRef<PoolClient.Command> client,
      Map<String, ClientJob<?, ?>> jobs,
      String jobId,
      CompletableFuture<Void> stopped) {
    return () -> {
      if (!stopped.isDone() && jobs.containsKey(jobId))
        client.tell(new PoolClient.Cancel(jobId, "its iterator was dropped"));
    };
  }

  @Override
  public <I, O> CompletionStage<O> applyAsync(Task<I, O> task, I input) {
    InputSource<I> source = source(task, List.of(input));
    source.validateAll();
    SingleResult<O> result = new SingleResult<>();
    return cancellable(result.result(), start(task, source, 1, result, JobListener.NONE, null));
  }

  /**
   * The job's result, whose cancellation (by its caller, or by {@link ClusterPool#await} when
   * interrupted) cancels the job, as cancelling a gather cancels its calls.
   */
  private <T> CompletableFuture<T> cancellable(CompletableFuture<T> result, ClientJob<?, ?> job) {
    result.whenComplete(
        (value, error) -> {
          if (result.isCancelled())
            client.tell(new PoolClient.Cancel(job.jobId, "its result was cancelled"));
        });
    return result;
  }

  @Override
  public <I, O> CallsJob startCalls(
      Task<I, O> task, List<I> inputs, CallSink<O> sink, CallLimit limit) {
    InputSource<I> source = source(task, inputs);
    source.validateAll();
    // one chunk per call, numbered from 0 in the order of the inputs: a chunk's number is its
    // call's
    JobListener retries =
        new JobListener() {
          @Override
          public void chunkRetried(String jobId, long seq, int size, String reason) {
            sink.retried((int) seq, reason);
          }
        };
    String jobId = start(task, source, 1, new CallResults<>(sink), retries, limit).jobId;
    return reason -> client.tell(new PoolClient.Cancel(jobId, reason));
  }

  // ---- the pool itself

  @Override
  public ClusterStatus status(Duration timeout) {
    if (systemGone || lifecycle.stopped().isDone()) throw stoppedForStatus();
    CompletionStage<ClusterStatus> status =
        AskPattern.ask(
            coordinator, CoordinatorProtocol.GetStatus::new, timeout, system.scheduler());
    try {
      return Waits.joinAsk(status, timeout);
    } catch (IllegalStateException e) {
      // Pekko's ask fails with its own words ("Recipient[Actor[pekko://...]] had already been
      // terminated", "Ask timed out on [Actor[...]]"): say what happened instead
      if (!(e.getCause() instanceof TimeoutException)) throw e;
      if (systemGone || !lifecycle.isOpen()) throw stoppedForStatus();
      throw new IllegalStateException(
          "the coordinator gave no status within " + timeout.toMillis() + " ms");
    }
  }

  private IllegalStateException stoppedForStatus() {
    if (systemGone && lifecycle.isOpen()) return systemGone(); // not the user's close: say why
    return new IllegalStateException(
        "the pool has stopped (close() or terminate()): it has no status to give");
  }

  @Override
  public int workerSlots() {
    return workerSlots.get();
  }

  /**
   * No new work; the jobs that run go to their end, streams included: an {@code imap} whose
   * iterator nobody reads keeps its results here rather than hold the pool open (Python's {@code
   * imap} after {@code close()}).
   */
  @Override
  public void close() {
    if (!lifecycle.isOpen()) return;
    lifecycle.close(); // first: a stream started after this line is buffered by start()
    if (!lifecycle.stopped().isDone()) client.tell(PoolClient.BufferStreams.INSTANCE);
  }

  @Override
  public void terminate() {
    lifecycle.terminate();
    for (ClientJob<?, ?> job : activeJobs.values())
      client.tell(new PoolClient.Cancel(job.jobId, "the pool was terminated"));
    shutdown();
  }

  @Override
  public CompletionStage<Void> whenStopped() {
    return lifecycle.stopped();
  }

  @Override
  public boolean isOpen() {
    return lifecycle.isOpen();
  }

  private <I> InputSource<I> source(Task<I, ?> task, Iterable<? extends I> inputs) {
    admitted(task);
    if (local == null)
      remoteSignature(
          task); // a task the workers cannot have is refused here, before anything is sent
    return InputSource.of(task, inputs, settings.maxTextLength(), settings.maxChunkBytes());
  }

  /** The task as workers in other JVMs know it: by its class, or the version it declares. */
  /**
   * A task this pool may run, before anything is read or sent: the coordinator would refuse it too.
   */
  private <T extends Task<?, ?>> T admitted(T task) {
    allowed.check(task.name());
    return task;
  }

  static TaskSignature remoteSignature(Task<?, ?> task) {
    if (Fingerprints.isLambda(task)) {
      throw new TaskUnavailableException(
          "task '"
              + task.name()
              + "' is made from a function (Task.cpu or Task.async): a function never leaves the"
              + " JVM that made it, and this pool's workers run in other JVMs; write it as a class"
              + " that implements CpuTask or AsyncTask, and give its jar to every node (--tasks),"
              + " or use an embedded pool");
    }
    return new TaskSignature(task.name(), task.kind(), Fingerprints.of(task));
  }

  private <I, O> ClientJob<I, O> start(
      Task<I, O> task,
      InputSource<I> source,
      int chunksize,
      ResultSink<O> sink,
      JobListener listener,
      CallLimit limit) {
    int max = settings.maxChunkSize(task.outputType());
    ChunkSizer sizer =
        chunksize > 0
            ? ChunkSizer.fixed(chunksize, max, settings)
            : ChunkSizer.automatic(max, settings);
    String jobId = idPrefix + jobCounter.incrementAndGet();
    boolean[] registered = {false};
    // in this JVM's node, the object is registered (and the coordinator told) before the job is
    // submitted below
    TaskSignature signature =
        local != null ? local.register(task, coordinator, registered) : remoteSignature(task);
    ClientJob<I, O> job =
        new ClientJob<>(
            jobId, task, signature, registered[0], source, sizer, sink, listener, limit);
    List<Chunk> first;
    try {
      first = job.nextChunks(settings, workerSlots.get()); // a lazy input that fails, fails here
    } catch (RuntimeException e) {
      release(job);
      throw e;
    }
    if (job.inputFailureDue() != null && job.refused.isEmpty()) { // it failed before any input
      release(job);
      throw job.inputFailureDue();
    }
    if (job.allAnswered() && job.refused.isEmpty()) { // an empty input: nothing to send
      release(job);
      sink.onComplete(job);
      return job;
    }
    job.lastSent = job.inputExhausted();
    // once in the map the job belongs to the client actor; the caller sends its first chunks and
    // lets go
    activeJobs.put(job.jobId, job);
    if (systemGone
        && activeJobs.remove(job.jobId)
            != null) { // checked after the put: the hook may have run before it
      release(job);
      sink.onFailure(systemGone());
      return job;
    }
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(job.jobId, signature, first, job.lastSent, events));
    if (limit != null) limit.join(job); // from here the actor feeds it when a permit frees
    // a stream started while the pool closed: the client may have buffered the others before it
    if (!lifecycle.isOpen() && sink instanceof StreamedResults<?>)
      client.tell(PoolClient.BufferStreams.INSTANCE);
    // and now: the window may have more room than one message held, permits freed meanwhile, or
    // inputs were refused
    if (!job.lastSent || !job.refused.isEmpty()) client.tell(new PoolClient.Feed(job.jobId));
    return job;
  }

  private void onJobEnded(ClientJob<?, ?> job) {
    activeJobs.remove(job.jobId);
    release(job);
    lifecycle.stopIfIdle();
  }

  /** The job's task object, registered for it with this JVM's node, is given back. */
  private void release(ClientJob<?, ?> job) {
    if (job.registered && local != null && !systemGone) local.release(job.signature, coordinator);
  }

  private synchronized void shutdown() {
    if (lifecycle.stopped().isDone()) return;
    for (ClientJob<?, ?> job : activeJobs.values()) {
      job.sink.onFailure(new CancellationException("the pool was terminated"));
    }
    if (ownsSystem) {
      system.terminate();
    } else {
      client.tell(PoolClient.Stop.INSTANCE);
      lifecycle.stopped().complete(null);
    }
  }

  private IllegalStateException systemGone() {
    Optional<String> fatal = fatalErrors.first();
    if (fatal.isPresent()) {
      return new IllegalStateException(
          Echo.line("the pool stopped: a fatal error stopped its actor system: " + fatal.get()));
    }
    return new IllegalStateException(
        "the pool stopped: its actor system terminated (with the coordinator, when in this JVM;"
            + " or its member was removed from the cluster)");
  }

  /**
   * A gather's job: each input is one call, whose outcome goes to the gather's sink by its index in
   * the job.
   */
  private static final class CallResults<O> implements ResultSink<O> {
    private final CallSink<O> calls;

    CallResults(CallSink<O> calls) {
      this.calls = calls;
    }

    @Override
    public void onPart(
        ClientJob<?, O> job,
        ChunkRecord chunk,
        int offset,
        Values outputs,
        List<ElementError> errors,
        String worker) {
      int nextError = 0;
      for (int i = 0; i < outputs.size(); i++) {
        int index = (int) (chunk.firstIndex() + offset + i);
        if (nextError < errors.size() && errors.get(nextError).index() == i) {
          calls.failed(
              index, job.failure(chunk, offset + i, errors.get(nextError++).error()), worker);
        } else {
          calls.result(index, job.task.outputType().decode(outputs, i), worker);
        }
      }
    }

    @Override
    public void onComplete(ClientJob<?, O> job) {}

    @Override
    public void onFailure(Throwable error) {
      calls.failedAll(error);
    }
  }
}
