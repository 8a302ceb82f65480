package org.clusterpool.node.worker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.protocol.UnitResult;
import org.clusterpool.node.protocol.WorkUnit;
import org.clusterpool.node.protocol.WorkerInfo;
import org.clusterpool.node.task.AsyncTask;
import org.clusterpool.node.task.CpuTask;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.TaskCatalog;
import org.clusterpool.node.task.TaskKind;
import org.clusterpool.node.wire.CborSerializable;
import org.clusterpool.node.wire.RemoteError;
import org.clusterpool.node.wire.Values;

/**
 * One worker, like one process of a {@code Pool}: it runs cpu units one after the other on its own
 * thread (it lives on {@code clusterpool.cpu-dispatcher}), and holds async calls in flight by the
 * thousand. It never asks for more than it can hold: it grants the coordinator credits, and every
 * result it sends gives back the credit its work used. Its mailbox is its queue of prefetched work.
 */
public final class Worker extends AbstractBehavior<Worker.Command> {

  public sealed interface Command permits Assign, CancelJob, CoordinatorsChanged, CallFinished, FlushAsyncResults {}

  /**
   * Work from the coordinator: one batch of cpu units (it used one cpu credit), or async units (they used
   * one async credit per input). Results go to {@code replyTo}.
   */
  public record Assign(TaskKind kind, List<WorkUnit> units, ActorRef<CoordinatorProtocol.Command> replyTo)
      implements Command, CborSerializable {}

  /** Stops the job's async calls on this worker; its queued cpu units are skipped when their turn comes. */
  public record CancelJob(String jobId) implements Command, CborSerializable {}

  private record CoordinatorsChanged(Receptionist.Listing listing) implements Command, NoSerializationVerificationNeeded {}

  private record CallFinished(long unitId, int index, Object value, Throwable error)
      implements Command, NoSerializationVerificationNeeded {}

  /**
   * Sends the async results gathered so far. It queues behind the completions already in the mailbox, so a
   * burst of calls that end together (ten thousand sleeps of one second) goes back as one message.
   */
  private enum FlushAsyncResults implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  /** The async calls of one unit, until the last one finishes. */
  private static final class AsyncUnit {
    final WorkUnit unit;
    final AsyncTask<?, ?> task;
    final ActorRef<CoordinatorProtocol.Command> replyTo;
    final Object[] outputs;
    final List<ElementError> errors = new ArrayList<>(0);
    final WorkerContext[] calls;
    final long startNanos = System.nanoTime();
    int remaining;

    AsyncUnit(WorkUnit unit, AsyncTask<?, ?> task, ActorRef<CoordinatorProtocol.Command> replyTo) {
      this.unit = unit;
      this.task = task;
      this.replyTo = replyTo;
      int n = unit.inputs().size();
      this.outputs = new Object[n];
      this.calls = new WorkerContext[n];
      this.remaining = n;
    }
  }

  public static Behavior<Command> create(
      WorkerSettings settings,
      TaskCatalog catalog,
      ActorRef<WorkerNode.Command> node,
      Set<String> cancelledJobs,
      boolean hostsCoordinator) {
    return Behaviors.setup(context -> new Worker(context, settings, catalog, node, cancelledJobs, hostsCoordinator));
  }

  private final WorkerSettings settings;
  private final TaskCatalog catalog;
  private final ActorRef<WorkerNode.Command> node;
  private final Set<String> cancelledJobs;
  private final boolean hostsCoordinator;
  private final WorkerInfo info;
  private final String where;
  private final Map<Long, AsyncUnit> asyncUnits = new HashMap<>();
  private int asyncCallsInFlight;
  private ActorRef<CoordinatorProtocol.Command> coordinator;
  private final Map<ActorRef<CoordinatorProtocol.Command>, List<UnitResult>> asyncResults = new HashMap<>(2);
  private final Map<ActorRef<CoordinatorProtocol.Command>, Integer> asyncCredits = new HashMap<>(2);
  private boolean flushPending;
  /**
   * The worker's "global variables" ({@link org.clusterpool.node.task.TaskContext#globals()}): one map per worker
   * actor, so that workers sharing a JVM are as isolated as the processes of a Pool. Concurrent because the
   * continuations of async tasks run on other threads than the worker's.
   */
  private final Map<String, Long> globals = new ConcurrentHashMap<>();

  private Worker(
      ActorContext<Command> context,
      WorkerSettings settings,
      TaskCatalog catalog,
      ActorRef<WorkerNode.Command> node,
      Set<String> cancelledJobs,
      boolean hostsCoordinator) {
    super(context);
    this.settings = settings;
    this.catalog = catalog;
    this.node = node;
    this.cancelledJobs = cancelledJobs;
    this.hostsCoordinator = hostsCoordinator;
    this.info = new WorkerInfo(
        context.getSelf().path().name(), context.getSystem().address().toString(), ProcessHandle.current().pid());
    this.where = info.label() + " (pid " + info.pid() + ")";
    ActorRef<Receptionist.Listing> listingAdapter =
        context.messageAdapter(Receptionist.Listing.class, CoordinatorsChanged::new);
    context.getSystem().receptionist().tell(Receptionist.subscribe(CoordinatorProtocol.SERVICE_KEY, listingAdapter));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Assign.class, this::onAssign)
        .onMessage(CallFinished.class, this::onCallFinished)
        .onMessageEquals(FlushAsyncResults.INSTANCE, this::onFlushAsyncResults)
        .onMessage(CancelJob.class, this::onCancelJob)
        .onMessage(CoordinatorsChanged.class, this::onCoordinatorsChanged)
        .onSignal(PostStop.class, signal -> onPostStop())
        .build();
  }

  private Behavior<Command> onCoordinatorsChanged(CoordinatorsChanged message) {
    Set<ActorRef<CoordinatorProtocol.Command>> coordinators =
        message.listing().getServiceInstances(CoordinatorProtocol.SERVICE_KEY);
    ActorRef<CoordinatorProtocol.Command> next = coordinators.isEmpty() ? null : coordinators.iterator().next();
    if (next != null && !next.equals(coordinator)) {
      getContext().getLog().info("{} works for coordinator {}", info.name(), next.path());
      next.tell(new CoordinatorProtocol.RequestWork(
          getContext().getSelf(), node, info, settings.prefetch(), settings.maxAsyncCalls() - asyncCallsInFlight));
    }
    coordinator = next;
    return this;
  }

  private Behavior<Command> onAssign(Assign assign) {
    if (assign.kind() == TaskKind.CPU) {
      runCpu(assign);
    } else {
      for (WorkUnit unit : assign.units()) startAsync(unit, assign.replyTo());
    }
    return this;
  }

  /** Runs the batch right here: this actor's thread is one of the cpu dispatcher's, reserved for it. */
  private void runCpu(Assign assign) {
    List<UnitResult> results = new ArrayList<>(assign.units().size());
    for (WorkUnit unit : assign.units()) {
      if (cancelledJobs.contains(unit.jobId())) continue;
      Task<?, ?> task = catalog.find(unit.task()).orElse(null);
      if (task instanceof CpuTask<?, ?> cpuTask) {
        WorkerContext context = newContext(unit.jobId(), unit.firstIndex());
        UnitResult result = UnitRunner.run(cpuTask, unit, context, where);
        if (result != null) results.add(result);
      } else {
        results.add(failedUnit(unit, task));
      }
    }
    send(assign.replyTo(), results, 1, 0);
  }

  /**
   * Sends results in messages of about {@code messageBytes} each, the credit with the last one. The results
   * of one chunk that would not fit in a message of the transport fail instead, with an error that says so.
   */
  private void send(ActorRef<CoordinatorProtocol.Command> replyTo, List<UnitResult> results, int cpuCredit, int asyncCredit) {
    List<UnitResult> group = new ArrayList<>(results.size());
    long bytes = 0;
    for (UnitResult result : results) {
      long size = result.outputs().estimatedBytes();
      if (size > settings.maxResultBytes()) {
        result = tooLarge(result, size);
        size = 16;
      }
      if (!group.isEmpty() && bytes + size > settings.messageBytes()) {
        replyTo.tell(new CoordinatorProtocol.UnitsDone(getContext().getSelf(), group, 0, 0));
        group = new ArrayList<>();
        bytes = 0;
      }
      group.add(result);
      bytes += size;
    }
    replyTo.tell(new CoordinatorProtocol.UnitsDone(getContext().getSelf(), group, cpuCredit, asyncCredit));
  }

  private UnitResult tooLarge(UnitResult result, long size) {
    int n = result.outputs().size();
    RemoteError error = RemoteError.of(
        "ResultTooLarge",
        String.format(java.util.Locale.ROOT,
            "the results of a chunk of %d inputs take about %.1f MB, more than a message carries (%.1f MB): use a smaller chunk size",
            n, size / 1048576.0, settings.maxResultBytes() / 1048576.0),
        where);
    List<ElementError> errors = new ArrayList<>(n);
    for (int i = 0; i < n; i++) errors.add(new ElementError(i, error));
    return new UnitResult(result.unitId(), result.jobId(), new Values.LongRange(0, n), errors, result.nanos());
  }

  private void startAsync(WorkUnit unit, ActorRef<CoordinatorProtocol.Command> replyTo) {
    Task<?, ?> task = catalog.find(unit.task()).orElse(null);
    int size = unit.inputs().size();
    if (!(task instanceof AsyncTask<?, ?> asyncTask) || cancelledJobs.contains(unit.jobId())) {
      List<UnitResult> results = cancelledJobs.contains(unit.jobId()) ? List.of() : List.of(failedUnit(unit, task));
      replyTo.tell(new CoordinatorProtocol.UnitsDone(getContext().getSelf(), results, 0, size));
      return;
    }
    AsyncUnit pending = new AsyncUnit(unit, asyncTask, replyTo);
    asyncUnits.put(unit.unitId(), pending);
    asyncCallsInFlight += size;
    for (int i = 0; i < size; i++) startCall(pending, asyncTask, i);
  }

  private <I, O> void startCall(AsyncUnit pending, AsyncTask<I, O> task, int index) {
    WorkUnit unit = pending.unit;
    WorkerContext context = newContext(unit.jobId(), unit.firstIndex() + index);
    pending.calls[index] = context;
    ActorRef<Command> self = getContext().getSelf();
    CompletionStage<O> call;
    try {
      I input = task.inputType().decode(unit.inputs(), index);
      task.validate(input);
      call = task.apply(input, context);
    } catch (Throwable t) {
      UnitRunner.rethrowIfFatal(t);
      self.tell(new CallFinished(unit.unitId(), index, null, t));
      return;
    }
    call.whenComplete((value, error) -> self.tell(new CallFinished(unit.unitId(), index, value, error)));
  }

  private Behavior<Command> onCallFinished(CallFinished finished) {
    AsyncUnit pending = asyncUnits.get(finished.unitId());
    if (pending == null || pending.calls[finished.index()] == null) return this; // cancelled meanwhile
    pending.calls[finished.index()] = null;
    if (finished.error() != null) {
      Throwable error = finished.error() instanceof CompletionException && finished.error().getCause() != null
          ? finished.error().getCause()
          : finished.error();
      pending.errors.add(new ElementError(finished.index(), RemoteError.of(error, where)));
    } else {
      pending.outputs[finished.index()] = finished.value();
    }
    if (--pending.remaining == 0) {
      asyncUnits.remove(finished.unitId());
      int size = pending.outputs.length;
      asyncCallsInFlight -= size;
      pending.errors.sort((a, b) -> Integer.compare(a.index(), b.index()));
      UnitResult result = new UnitResult(
          pending.unit.unitId(),
          pending.unit.jobId(),
          encode(pending.task, pending.outputs),
          List.copyOf(pending.errors),
          System.nanoTime() - pending.startNanos);
      asyncResults.computeIfAbsent(pending.replyTo, coordinator -> new ArrayList<>()).add(result);
      asyncCredits.merge(pending.replyTo, size, Integer::sum);
      if (!flushPending) {
        flushPending = true;
        getContext().getSelf().tell(FlushAsyncResults.INSTANCE);
      }
    }
    return this;
  }

  private Behavior<Command> onFlushAsyncResults() {
    flushPending = false;
    asyncResults.forEach((replyTo, results) -> send(replyTo, results, 0, asyncCredits.getOrDefault(replyTo, 0)));
    asyncResults.clear();
    asyncCredits.clear();
    return this;
  }

  @SuppressWarnings("unchecked")
  private static <O> Values encode(AsyncTask<?, O> task, Object[] outputs) {
    List<O> values = new ArrayList<>(outputs.length);
    for (Object o : outputs) values.add((O) o);
    return task.outputType().encode(values);
  }

  private Behavior<Command> onCancelJob(CancelJob cancel) {
    Iterator<AsyncUnit> units = asyncUnits.values().iterator();
    while (units.hasNext()) {
      AsyncUnit pending = units.next();
      if (!pending.unit.jobId().equals(cancel.jobId())) continue;
      for (WorkerContext call : pending.calls) {
        if (call != null) call.cancel();
      }
      units.remove();
      int size = pending.outputs.length;
      asyncCallsInFlight -= size;
      pending.replyTo.tell(new CoordinatorProtocol.UnitsDone(getContext().getSelf(), List.of(), 0, size));
    }
    return this;
  }

  private Behavior<Command> onPostStop() {
    for (AsyncUnit pending : asyncUnits.values()) {
      for (WorkerContext call : pending.calls) {
        if (call != null) call.cancel();
      }
    }
    return this;
  }

  private UnitResult failedUnit(WorkUnit unit, Task<?, ?> task) {
    String reason = task == null
        ? "task '" + unit.task() + "' is not in the catalog of " + info.node()
        : "task '" + unit.task() + "' is a " + task.kind().label() + " task on " + info.node();
    RemoteError error = RemoteError.of("UnknownTask", reason, where);
    List<ElementError> errors = new ArrayList<>();
    for (int i = 0; i < unit.inputs().size(); i++) errors.add(new ElementError(i, error));
    return new UnitResult(unit.unitId(), unit.jobId(), unit.inputs(), errors, 0);
  }

  private WorkerContext newContext(String jobId, long index) {
    return new WorkerContext(
        info.name(),
        info.node(),
        info.pid(),
        hostsCoordinator,
        cancelledJobs,
        getContext().getSystem(),
        globals,
        jobId,
        index);
  }
}
