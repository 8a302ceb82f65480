package org.clusterpool.coordinator.pool;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.clusterpool.node.handle.Waits;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.ValueTypes;
import org.clusterpool.node.worker.WorkerSettings;

/**
 * A pool of workers, as {@code multiprocessing.Pool} is a pool of processes, with the same methods:
 * {@code map}, {@code imap}, {@code imapUnordered}, {@code starmap}, {@code apply}, {@code
 * applyAsync}, {@code close}, {@code terminate}, {@code join}; and asyncio's {@code gather} and its
 * friends.
 *
 * <pre>{@code
 * try (ClusterPool pool = ClusterPool.embedded(4)) {                // actors in this JVM
 *   List<Long> squares = pool.map(BuiltinTasks.SQUARE, List.of(1L, 2L, 3L, 4L, 5L)); // [1, 4, 9, 16, 25]
 * }
 * try (ClusterPool pool = ClusterPool.local(2)) { ... }              // 2 worker JVMs started for this pool
 * try (ClusterPool pool = ClusterPool.connect()) { ... }             // the cluster 'bin/clusterpool cluster up' started
 * try (ClusterPool pool = ClusterPool.connect("http://10.0.0.5:8080")) { ... } // any cluster, by its HTTP API
 * }</pre>
 *
 * The API is the same whichever way the pool was made ({@link #builder()} gives the options):
 * results in input order, a failed input named in its {@link TaskFailedException}, an {@code imap}
 * that reads its input lazily through a small heap, no call that waits without end, and nothing
 * left running once the pool is closed.
 *
 * <p>Tasks are never sent: the pool sends the task's name, which version of it it means (a
 * fingerprint of its class, or the version it declares), and the inputs; the workers run their own
 * copy, and only workers whose node has that very version get the job. Inputs and results are typed
 * by the task.
 *
 * <p>An embedded pool runs any {@link Task} object it is handed, on the workers of its own JVM: one
 * of its catalog, an object of a class that no jar lists, or one made from a function ({@link
 * Task#cpu}, {@link Task#async}), as an {@code ExecutorService} runs any {@code Callable}. A pool
 * whose workers are in other JVMs runs only what their nodes have: a task made from a function is
 * refused at once ({@link TaskUnavailableException}), since a function never leaves its JVM, and so
 * is a job whose task no node has, naming what each node has.
 *
 * <p>Longer than most files here, on purpose: it is the whole public surface of {@code Pool} and
 * {@code gather}, each method with its Python counterpart in its Javadoc. The work is in the
 * engines ({@link ActorPool}, {@link ConnectedPool}) and in {@link Gather}.
 */
public final class ClusterPool implements AutoCloseable {

  private final PoolEngine engine;

  ClusterPool(PoolEngine engine) {
    this.engine = engine;
  }

  PoolEngine engine() {
    return engine;
  }

  /** A pool of one worker per available processor, in this JVM: {@code Pool()}. */
  public static ClusterPool embedded() {
    return embedded(ConfigFactory.empty());
  }

  /**
   * As {@link #embedded()}, with settings that override the embedded config (see {@link
   * #embedded(int, Config)}): the application's {@code application.conf} and clusterpool's {@code
   * reference.conf} under the embedded layer.
   */
  public static ClusterPool embedded(Config overrides) {
    return new ClusterPool(Embedded.pool(0, overrides, Embedded.STARTUP_TIMEOUT));
  }

  /**
   * A pool of {@code workers} workers in this JVM, like {@code Pool(processes=workers)}. As
   * Python's {@code Pool}, it refuses fewer than one: {@link #embedded()} takes one per processor;
   * and more than {@value WorkerSettings#MAX_PER_NODE}, since each worker is a thread.
   */
  public static ClusterPool embedded(int workers) {
    return embedded(workers, ConfigFactory.empty());
  }

  /**
   * As {@link #embedded(int)}, with settings that override the embedded config ({@code
   * config/embedded.conf} over the application's {@code application.conf} over clusterpool's {@code
   * reference.conf}): among them {@code clusterpool.tasks.path}, the jars of tasks the pool's node
   * loads besides the class path's (tasks that cannot be loaded are an {@link
   * IllegalArgumentException} that says why, and nothing starts).
   */
  public static ClusterPool embedded(int workers, Config overrides) {
    if (workers < 1 || workers > WorkerSettings.MAX_PER_NODE) {
      throw new IllegalArgumentException(
          WorkerSettings.outOfRange("the number of workers", workers)
              + " (as Python's Pool(processes=N), one thread each); ClusterPool.embedded() takes"
              + " one per processor");
    }
    return new ClusterPool(Embedded.pool(workers, overrides, Embedded.STARTUP_TIMEOUT));
  }

  /**
   * {@code nodes} worker JVMs on this machine, started for this pool, as {@code --nodes} starts
   * them, and this JVM their coordinator: Dask's {@code Client(LocalCluster(n_workers=nodes))}.
   * Each node has one worker per processor; a JVM that dies is replaced; all of them stop when the
   * pool is closed or terminated, when this program exits however it exits, and when it is killed
   * (each watches this JVM). Returns once every worker has reached the coordinator. {@link
   * #builder()} sets the workers per node, their heap, the jars of tasks they load, and more.
   */
  public static ClusterPool local(int nodes) {
    return builder().local(nodes);
  }

  /**
   * The cluster that {@code bin/clusterpool cluster up} started, found as the command line finds it
   * (its state file, {@code .clusterpool/cluster.json} under {@code clusterpool.home} or the user's
   * home), else the one at {@code CLUSTERPOOL_URL}: Dask's {@code Client()} after {@code dask
   * scheduler}, Ray's {@code ray.init()}. Reached through its HTTP API; closing the pool leaves the
   * cluster running. No cluster found is an {@link IllegalStateException} that says how to start
   * one.
   */
  public static ClusterPool connect() {
    return builder().connect();
  }

  /**
   * The cluster whose HTTP API is at {@code url} ({@code http://10.0.0.5:8080}): Dask's {@code
   * Client("tcp://scheduler:8786")}, Ray's {@code ray.init(address=...)}. Closing the pool leaves
   * the cluster running.
   */
  public static ClusterPool connect(String url) {
    return builder().connect(url);
  }

  /**
   * The options of a pool ({@code workersPerNode}, {@code heap}, {@code tasks}, a config,
   * timeouts), then its kind.
   */
  public static PoolBuilder builder() {
    return new PoolBuilder();
  }

  /**
   * A pool that submits to a coordinator reachable from {@code system}; the system stays the
   * caller's. Its workers are the cluster's: a job runs there only if their nodes have its task, at
   * the same version. The system's config needs no clusterpool setting: clusterpool's {@code
   * reference.conf} gives them, as to every actor system. A system that talks to other JVMs must
   * take the members' largest messages: a smaller Artery frame is refused ({@link ArteryFrame}).
   */
  public static ClusterPool connect(
      ActorSystem<?> system,
      ActorRef<CoordinatorProtocol.Command> coordinator,
      int workerSlotsHint) {
    ArteryFrame.check(system.settings().config());
    return new ClusterPool(
        new ActorPool(
            system, false, coordinator, null, system.settings().config(), workerSlotsHint));
  }

  // ---- map

  /**
   * {@code Pool.map}: the task over every input, results in input order; the chunk size is chosen
   * for you. Interrupting the thread that waits here cancels the job: the call throws a {@link
   * CancellationException} ("the wait for the job was interrupted: the job was cancelled") and the
   * thread's interrupt flag stays set; so do {@code starmap} and {@code apply} ({@link #await}).
   */
  public <I, O> List<O> map(Task<I, O> task, Iterable<? extends I> inputs) {
    return await(mapAsync(task, inputs));
  }

  /**
   * {@code Pool.map(f, xs, chunksize)}: as in Python, {@code chunksize} must be at least 1. An
   * interrupt cancels the job, as for {@link #map(Task, Iterable)}.
   */
  public <I, O> List<O> map(Task<I, O> task, Iterable<? extends I> inputs, int chunksize) {
    return await(mapAsync(task, inputs, chunksize));
  }

  /**
   * {@code Pool.map_async(f, xs)}: the chunk size is chosen for you. Cancelling the stage's future
   * ({@code toCompletableFuture().cancel(...)}) cancels the job.
   */
  public <I, O> CompletionStage<List<O>> mapAsync(Task<I, O> task, Iterable<? extends I> inputs) {
    return collect(task, inputs, AUTOMATIC, JobListener.NONE);
  }

  /** {@code Pool.map_async(f, xs, chunksize)}: {@code chunksize} at least 1. */
  public <I, O> CompletionStage<List<O>> mapAsync(
      Task<I, O> task, Iterable<? extends I> inputs, int chunksize) {
    return collect(task, inputs, given(chunksize), JobListener.NONE);
  }

  /** As {@link #mapAsync(Task, Iterable, int)}, telling {@code listener} how the job goes. */
  public <I, O> CompletionStage<List<O>> mapAsync(
      Task<I, O> task, Iterable<? extends I> inputs, int chunksize, JobListener listener) {
    return collect(task, inputs, given(chunksize), listener);
  }

  private <I, O> CompletionStage<List<O>> collect(
      Task<I, O> task, Iterable<? extends I> inputs, int chunksize, JobListener listener) {
    check(task, inputs, chunksize);
    return engine.mapAsync(task, inputs, chunksize, Objects.requireNonNull(listener, "listener"));
  }

  /**
   * {@code Pool.imap}: results in input order, as they become available. The input is read lazily
   * and only a bounded window of chunks is in flight, so an input of any length streams through a
   * small heap.
   *
   * <p>After {@link #close()}, the job runs to its end whether or not the iterator is read, as
   * Python's does: its results are kept for the iterator, in memory, until they are read or the
   * iterator is dropped, so an iterator left unread no longer holds the pool open. Once the pool
   * has stopped, the iterator hands out what it holds and then ends, or throws one line saying why
   * it cannot; it never waits without end.
   */
  public <I, O> ResultIterator<O> imap(Task<I, O> task, Iterable<? extends I> inputs) {
    return stream(task, inputs, AUTOMATIC, true, JobListener.NONE);
  }

  /** {@code Pool.imap(f, xs, chunksize)}: as in Python, {@code chunksize} must be at least 1. */
  public <I, O> ResultIterator<O> imap(
      Task<I, O> task, Iterable<? extends I> inputs, int chunksize) {
    return stream(task, inputs, given(chunksize), true, JobListener.NONE);
  }

  /**
   * {@code Pool.imap_unordered}: results in the order they complete ({@link
   * ResultIterator#position()} says whose).
   */
  public <I, O> ResultIterator<O> imapUnordered(Task<I, O> task, Iterable<? extends I> inputs) {
    return stream(task, inputs, AUTOMATIC, false, JobListener.NONE);
  }

  public <I, O> ResultIterator<O> imapUnordered(
      Task<I, O> task, Iterable<? extends I> inputs, int chunksize) {
    return stream(task, inputs, given(chunksize), false, JobListener.NONE);
  }

  /**
   * {@code imap} or {@code imapUnordered} with a listener; {@code chunksize} 0 chooses it for you
   * (Python's {@code chunksize=None}); a negative one is refused.
   */
  public <I, O> ResultIterator<O> stream(
      Task<I, O> task,
      Iterable<? extends I> inputs,
      int chunksize,
      boolean ordered,
      JobListener listener) {
    check(task, inputs, chunksize);
    return engine.stream(
        task,
        PoolEngine.JobInputs.of(inputs),
        chunksize,
        ordered,
        Objects.requireNonNull(listener, "listener"));
  }

  /**
   * {@code imap} or {@code imapUnordered} over inputs that arrive while the job runs ({@link
   * InputFeed}): the job reads them as they come and ends once the feed has ended and every input
   * has its result.
   */
  public <I, O> ResultIterator<O> stream(
      Task<I, O> task, InputFeed<I> inputs, int chunksize, boolean ordered, JobListener listener) {
    check(task, inputs, chunksize);
    return engine.stream(
        task,
        PoolEngine.JobInputs.of(inputs),
        chunksize,
        ordered,
        Objects.requireNonNull(listener, "listener"));
  }

  /**
   * {@code Pool.starmap}: each tuple holds the arguments of one call; the task takes them as one
   * record ({@code pow} takes {@code Pow.Args(base, exponent)}).
   */
  public <R extends Record, O> List<O> starmap(
      Task<R, O> task, Iterable<? extends List<?>> tuples) {
    return await(collect(task, tuples(task, tuples), AUTOMATIC, JobListener.NONE));
  }

  /**
   * {@code Pool.starmap(f, tuples, chunksize)}: as in Python, {@code chunksize} must be at least 1.
   */
  public <R extends Record, O> List<O> starmap(
      Task<R, O> task, Iterable<? extends List<?>> tuples, int chunksize) {
    return map(task, tuples(task, tuples), given(chunksize));
  }

  private static <R extends Record> List<R> tuples(
      Task<R, ?> task, Iterable<? extends List<?>> tuples) {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(tuples, "tuples");
    List<R> inputs = new ArrayList<>();
    long position = 0;
    for (List<?> tuple : tuples) {
      if (tuple == null) {
        throw new NullPointerException(
            "tuple at position "
                + position
                + " is null: each tuple is a list of the task's arguments, like List.of(2, 10)");
      }
      try {
        inputs.add(ValueTypes.fromTuple(task.inputType(), tuple));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "tuple at position " + position + " " + tuple + ": " + e.getMessage(), e);
      }
      position++;
    }
    return inputs;
  }

  // ---- apply

  /**
   * {@code Pool.apply}: runs the task on one input on some worker and waits for the result. An
   * interrupt cancels the call: {@link CancellationException}, the interrupt flag kept.
   */
  public <I, O> O apply(Task<I, O> task, I input) {
    return await(applyAsync(task, input));
  }

  /** {@code Pool.apply_async}. */
  public <I, O> CompletionStage<O> applyAsync(Task<I, O> task, I input) {
    Objects.requireNonNull(input, "input");
    check(task, List.of(input), 1);
    return engine.applyAsync(task, input);
  }

  // ---- asyncio

  /**
   * {@code asyncio.gather(*calls)} on this pool's workers; see {@link Gather} for the other forms.
   */
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

  /**
   * The coordinator's view of workers and jobs, waiting at most {@code timeout} (1 ms to {@value
   * #MAX_STATUS_DAYS} day) for it. A pool that has stopped has none to give: an {@link
   * IllegalStateException} says so.
   */
  public ClusterStatus status(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.compareTo(Duration.ofMillis(1)) < 0
        || timeout.compareTo(Duration.ofDays(MAX_STATUS_DAYS)) > 0) {
      throw new IllegalArgumentException(
          "the status timeout must be between 1 ms and "
              + MAX_STATUS_DAYS
              + " day, got "
              + timeout
              + " (Duration.ofSeconds(5), say)");
    }
    return engine.status(timeout);
  }

  /** The longest wait for a status: far past any answer, well within what a timer can hold. */
  private static final int MAX_STATUS_DAYS = 1;

  /** Worker slots the pool knows of: cpu workers in the cluster at the last job's start. */
  public int workerSlots() {
    return engine.workerSlots();
  }

  /**
   * {@code Pool.close}: no new work is accepted; work already submitted finishes, then the pool
   * stops (and with it the JVMs it started: a connected pool leaves its cluster running). Returns
   * at once; {@link #join} waits.
   *
   * <p>As in Python, an {@code imap} runs to its end too, whether or not its iterator is read: from
   * now on its results are kept in memory for the iterator instead of waiting for it, so an
   * iterator left unread (a loop left by {@code break}) does not keep the pool, or the program,
   * alive. Close the iterator to cancel its job instead. A job whose input never ends (an endless
   * iterable, an {@link InputFeed} never ended) keeps the pool open until it is cancelled or the
   * pool terminated.
   */
  @Override
  public void close() {
    engine.close();
  }

  /**
   * {@code Pool.terminate}: stops at once; unfinished jobs fail with a {@link
   * CancellationException}, and are cancelled on the cluster that runs them.
   */
  public void terminate() {
    engine.terminate();
  }

  /**
   * {@code Pool.join}: waits until the pool has stopped; call {@link #close} or {@link #terminate}
   * first.
   */
  public void join() {
    join(Duration.ofDays(365));
  }

  public boolean join(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (engine.isOpen())
      throw new IllegalStateException("join() needs close() or terminate() first, as in Python");
    try {
      engine.whenStopped().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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

  /**
   * Starts a gather's calls of one task as one job, one chunk per call: the caller keeps the sink,
   * and may cancel.
   */
  <I, O> PoolEngine.CallsJob startCalls(
      Task<I, O> task, List<I> inputs, PoolEngine.CallSink<O> sink, CallLimit limit) {
    check(task, inputs, 1);
    return engine.startCalls(task, inputs, sink, limit);
  }

  /**
   * The actor system of a pool whose jobs go by actor messages (tests reach its workers through
   * it).
   */
  ActorSystem<?> system() {
    if (engine instanceof ActorPool actors) return actors.system();
    if (engine instanceof StartedCluster local) return local.cluster().coordinator().system();
    throw new IllegalStateException("a pool connected over HTTP has no actor system");
  }

  private void check(Task<?, ?> task, Object inputs, int chunksize) {
    if (!engine.isOpen())
      throw new IllegalStateException("the pool is closed: it accepts no new work");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(inputs, "inputs");
    if (chunksize < 0) throw chunksizeRefused(chunksize);
  }

  /** {@code chunksize} 0 asks for one chosen for you. */
  private static final int AUTOMATIC = 0;

  /**
   * A chunk size the caller gave: Python's {@code Pool} refuses one below 1 ("Chunksize must be
   * 1+"), and so does this.
   */
  private static int given(int chunksize) {
    if (chunksize < 1) throw chunksizeRefused(chunksize);
    return chunksize;
  }

  private static IllegalArgumentException chunksizeRefused(int chunksize) {
    return new IllegalArgumentException(
        "chunksize must be at least 1, got "
            + chunksize
            + " (as in Python's Pool); leave it out to have it chosen");
  }

  /**
   * Waits for a stage and throws what it failed with ({@link TaskFailedException}, ...), not a
   * wrapper around it. An interrupt of the waiting thread cancels the stage, and with it the job
   * (or the gather) whose result it is, keeps the thread's interrupt flag set, and throws a {@link
   * CancellationException} that says so, as {@code map}, {@code starmap} and {@code apply} do.
   */
  public static <T> T await(CompletionStage<T> stage) {
    CompletableFuture<T> result = stage.toCompletableFuture();
    try {
      return Waits.await(result); // cancels the stage when interrupted
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the caller's code may look at it, as after any wait
      CancellationException cancelled =
          new CancellationException("the wait for the job was interrupted: the job was cancelled");
      cancelled.initCause(e);
      throw cancelled;
    }
  }
}
