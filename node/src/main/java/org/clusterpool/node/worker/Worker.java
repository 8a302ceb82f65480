package org.clusterpool.node.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.clusterpool.node.catalog.NodeTasks;
import org.clusterpool.node.directlink.DirectLinks;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.protocol.UnitResult;
import org.clusterpool.node.protocol.WorkUnit;
import org.clusterpool.node.protocol.WorkerInfo;
import org.clusterpool.node.protocol.WorkerProtocol;
import org.clusterpool.node.protocol.WorkerProtocol.Assign;
import org.clusterpool.node.protocol.WorkerProtocol.ReportNow;
import org.clusterpool.node.protocol.WorkerProtocol.StopJob;
import org.clusterpool.node.protocol.WorkerProtocol.StopUnits;
import org.clusterpool.node.task.AsyncTask;
import org.clusterpool.node.task.CpuTask;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.TaskKind;
import org.clusterpool.node.wire.RemoteError;
import org.clusterpool.node.wire.Values;

/**
 * One worker, like one process of a {@code Pool}: it runs cpu units one after the other on its own
 * thread (it lives on {@code clusterpool.cpu-dispatcher}), and holds async calls in flight by the
 * thousand. Its mailbox is its queue of prefetched work.
 *
 * <p>It never asks for work by credits it counts itself: it tells the coordinator its capacity, and
 * the coordinator counts what it sent and what came back. What the worker adds is what the
 * coordinator cannot see: the last assignment it took (numbered by the coordinator) and the units
 * it holds, in a {@link CoordinatorProtocol.WorkerReport} sent when it meets a coordinator, when an
 * assignment number is missing, when asked, and now and then while it idles. From that the
 * coordinator finds units whose assignment or answer was lost, and runs them again.
 *
 * <p>The async units it holds, until their last call finishes, are kept in {@link AsyncCalls}.
 */
public final class Worker extends AbstractBehavior<WorkerProtocol.Command> {

  private record CoordinatorsChanged(Receptionist.Listing listing)
      implements WorkerProtocol.Command, NoSerializationVerificationNeeded {}

  private record CallFinished(long unitId, int index, Object value, Throwable error)
      implements WorkerProtocol.Command, NoSerializationVerificationNeeded {}

  /**
   * Sends the async results gathered so far. It queues behind the completions already in the
   * mailbox, so a burst of calls that end together (ten thousand sleeps of one second) goes back as
   * one message.
   */
  private enum FlushAsyncResults
      implements WorkerProtocol.Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  /**
   * Time for a report while idle: the interval doubles while nothing happens, and starts again with
   * new work.
   */
  private enum IdleReport implements WorkerProtocol.Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  /**
   * Held units listed in a report at most; beyond, the report says how many, and the coordinator
   * does not audit.
   */
  static final int MAX_LISTED_UNITS = 8192;

  static Behavior<WorkerProtocol.Command> create(
      WorkerSettings settings,
      NodeTasks tasks,
      ActorRef<WorkerProtocol.NodeCommand> node,
      Cancellations cancellations,
      boolean hostsCoordinator) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    new Worker(
                        context, timers, settings, tasks, node, cancellations, hostsCoordinator)));
  }

  private final TimerScheduler<WorkerProtocol.Command> timers;
  private final WorkerSettings settings;
  private final NodeTasks tasks;
  private final ActorRef<WorkerProtocol.NodeCommand> node;
  private final Cancellations cancellations;
  private final boolean hostsCoordinator;
  private final WorkerInfo info;
  private final String where;
  private final AsyncCalls asyncCalls = new AsyncCalls();
  private final SerializationCheck serializationCheck;

  /** How its messages to the coordinator go: over a direct link where one is open. */
  private final DirectLinks links;

  private ActorRef<CoordinatorProtocol.Command> coordinator;

  /** The coordinator incarnation whose assignments are counted, and the last one taken. */
  private long incarnation;

  private long lastAssignSeq;
  private long reportSeq;

  /** Result messages sent to each coordinator, numbered so that it sees one missing. */
  private final Map<ActorRef<CoordinatorProtocol.Command>, Long> resultSeqs = new HashMap<>(2);

  private final Map<ActorRef<CoordinatorProtocol.Command>, List<UnitResult>> asyncResults =
      new HashMap<>(2);
  private boolean flushPending;
  private Duration idleReportInterval;

  /**
   * The worker's "global variables" ({@link org.clusterpool.node.task.TaskContext#globals()}): one
   * map per worker actor, so that workers sharing a JVM are as isolated as the processes of a Pool.
   * Concurrent because the continuations of async tasks run on other threads than the worker's.
   */
  private final Map<String, Long> globals = new ConcurrentHashMap<>();

  private Worker(
      ActorContext<WorkerProtocol.Command> context,
      TimerScheduler<WorkerProtocol.Command> timers,
      WorkerSettings settings,
      NodeTasks tasks,
      ActorRef<WorkerProtocol.NodeCommand> node,
      Cancellations cancellations,
      boolean hostsCoordinator) {
    super(context);
    this.timers = timers;
    this.settings = settings;
    this.tasks = tasks;
    this.node = node;
    this.cancellations = cancellations;
    this.hostsCoordinator = hostsCoordinator;
    this.info =
        new WorkerInfo(
            context.getSelf().path().name(),
            context.getSystem().address().toString(),
            ProcessHandle.current().pid());
    this.where = info.label() + " (pid " + info.pid() + ")";
    this.idleReportInterval = settings.reportInterval();
    this.serializationCheck = new SerializationCheck(context.getSystem());
    this.links = DirectLinks.get(context.getSystem());
    ActorRef<Receptionist.Listing> listingAdapter =
        context.messageAdapter(Receptionist.Listing.class, CoordinatorsChanged::new);
    context
        .getSystem()
        .receptionist()
        .tell(Receptionist.subscribe(CoordinatorProtocol.SERVICE_KEY, listingAdapter));
  }

  @Override
  public Receive<WorkerProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Assign.class, this::onAssign)
        .onMessage(CallFinished.class, this::onCallFinished)
        .onMessageEquals(FlushAsyncResults.INSTANCE, this::onFlushAsyncResults)
        .onMessage(StopJob.class, this::onStopJob)
        .onMessage(StopUnits.class, this::onStopUnits)
        .onMessage(ReportNow.class, this::onReportNow)
        .onMessageEquals(IdleReport.INSTANCE, this::onIdleReport)
        .onMessage(CoordinatorsChanged.class, this::onCoordinatorsChanged)
        .onSignal(PostStop.class, signal -> onPostStop())
        .build();
  }

  // ---- the coordinator

  private Behavior<WorkerProtocol.Command> onCoordinatorsChanged(CoordinatorsChanged message) {
    Set<ActorRef<CoordinatorProtocol.Command>> coordinators =
        message.listing().getServiceInstances(CoordinatorProtocol.SERVICE_KEY);
    ActorRef<CoordinatorProtocol.Command> next =
        coordinators.isEmpty() ? null : coordinators.iterator().next();
    if (next != null && !next.equals(coordinator)) {
      getContext().getLog().info("{} works for coordinator {}", info.name(), next.path());
      coordinator = next;
      report(next); // it learns of this worker, or of what it holds after a reachability blip:
      // capacity is set, not added
    }
    coordinator = next;
    return this;
  }

  private Behavior<WorkerProtocol.Command> onReportNow(ReportNow ask) {
    if (ask.replyTo() != null) report(ask.replyTo());
    return this;
  }

  private Behavior<WorkerProtocol.Command> onIdleReport() {
    if (coordinator != null) report(coordinator);
    idleReportInterval = min(idleReportInterval.multipliedBy(2), settings.maxReportInterval());
    timers.startSingleTimer(IdleReport.INSTANCE, idleReportInterval);
    return this;
  }

  /** Work came: the next idle report is due soon after it, then less and less often. */
  private void busy() {
    idleReportInterval = settings.reportInterval();
    timers.startSingleTimer(IdleReport.INSTANCE, idleReportInterval);
  }

  private void report(ActorRef<CoordinatorProtocol.Command> to) {
    // Results of finished units go out first: a report that no longer lists a unit whose result
    // still waits here for its flush would tell the coordinator that the result was lost, and the
    // unit would run again for nothing.
    flushAsyncResults();
    int held = asyncCalls.size();
    long[] ids = asyncCalls.heldIds(MAX_LISTED_UNITS);
    links.tell(
        to,
        new CoordinatorProtocol.WorkerReport(
            getContext().getSelf(),
            node,
            info,
            ++reportSeq,
            settings.prefetch(),
            settings.maxAsyncCalls(),
            incarnation,
            lastAssignSeq,
            new Values.Longs(ids),
            held <= MAX_LISTED_UNITS));
  }

  // ---- work

  private Behavior<WorkerProtocol.Command> onAssign(Assign assign) {
    if (assign.incarnation() != incarnation) { // a new coordinator counts its assignments from 1
      incarnation = assign.incarnation();
      lastAssignSeq = 0;
    }
    boolean gap = assign.seq() != lastAssignSeq + 1;
    lastAssignSeq = Math.max(lastAssignSeq, assign.seq());
    if (assign.kind() == TaskKind.CPU) {
      runCpu(assign);
    } else {
      for (WorkUnit unit : assign.units()) startAsync(unit, assign.replyTo());
    }
    if (gap) {
      getContext()
          .getLog()
          .warn(
              "{}: assignment {} came after {}: one was lost; telling the coordinator what this"
                  + " worker holds",
              info.name(),
              assign.seq(),
              assign.seq() - 1);
      report(assign.replyTo());
    }
    busy();
    return this;
  }

  /**
   * Runs the batch right here: this actor's thread is one of the cpu dispatcher's, reserved for it.
   */
  private void runCpu(Assign assign) {
    try {
      runCpuUnits(assign);
    } catch (VirtualMachineError e) {
      // going up to Pekko, which stops this JVM or (embedded) this actor system: a pool says why
      if (!(e instanceof StackOverflowError))
        FatalErrors.get(getContext().getSystem()).record(e, info.name());
      throw e;
    }
  }

  private void runCpuUnits(Assign assign) {
    ResultMessages results = new ResultMessages(settings.budget(), where);
    // a piece of large results goes out as soon as it is one message's worth
    long pieceBytes = settings.budget().content();
    Consumer<UnitResult> pieces =
        piece -> {
          results.add(piece);
          send(assign.replyTo(), results);
        };
    for (WorkUnit unit : assign.units()) {
      if (cancellations.stopped(unit.jobId(), unit.unitId(), info.name())) continue;
      Task<?, ?> task = tasks.find(unit.task(), unit.fingerprint());
      if (task instanceof CpuTask<?, ?> cpuTask) {
        WorkerContext context = newContext(unit.jobId(), unit.unitId(), unit.firstIndex());
        UnitResult result = UnitRunner.run(cpuTask, unit, context, where, pieceBytes, pieces);
        if (result != null) results.add(result);
      } else {
        results.add(failedUnit(unit, task));
      }
    }
    send(assign.replyTo(), results);
  }

  private void send(ActorRef<CoordinatorProtocol.Command> replyTo, ResultMessages results) {
    for (List<UnitResult> message : results.take()) {
      long seq = resultSeqs.merge(replyTo, 1L, Long::sum);
      links.tell(
          replyTo,
          serializationCheck.checked(
              new CoordinatorProtocol.UnitsDone(getContext().getSelf(), incarnation, seq, message),
              replyTo,
              where));
    }
  }

  private void startAsync(WorkUnit unit, ActorRef<CoordinatorProtocol.Command> replyTo) {
    if (cancellations.stopped(unit.jobId(), unit.unitId(), info.name())
        || asyncCalls.holds(unit.unitId())) return;
    Task<?, ?> task = tasks.find(unit.task(), unit.fingerprint());
    if (!(task instanceof AsyncTask<?, ?> asyncTask)) {
      ResultMessages results = new ResultMessages(settings.budget(), where);
      results.add(failedUnit(unit, task));
      send(replyTo, results);
      return;
    }
    AsyncCalls.Pending pending = asyncCalls.hold(unit, asyncTask, replyTo);
    for (int i = 0; i < unit.inputs().size(); i++) {
      startCall(pending, asyncTask, i);
      UnitRunner.clearInterrupt();
    }
  }

  private <I, O> void startCall(AsyncCalls.Pending pending, AsyncTask<I, O> task, int index) {
    WorkUnit unit = pending.unit;
    WorkerContext context = newContext(unit.jobId(), unit.unitId(), unit.firstIndex() + index);
    pending.calls[index] = context;
    ActorRef<WorkerProtocol.Command> self = getContext().getSelf();
    try {
      I input = task.inputType().decode(unit.inputs(), index);
      task.validate(input);
      CompletionStage<O> call = task.apply(input, context);
      if (call == null)
        throw new IllegalStateException("task '" + task.name() + "' returned no CompletionStage");
      // the stage is the task's own class too: what its whenComplete throws fails this call, not
      // the worker (a call that then answers anyway is answered once: the first answer counts)
      call.whenComplete(
          (value, error) -> self.tell(new CallFinished(unit.unitId(), index, value, error)));
    } catch (Throwable t) {
      UnitRunner.rethrowIfFatal(t, context.hostsCoordinator());
      self.tell(new CallFinished(unit.unitId(), index, null, t));
    }
  }

  private Behavior<WorkerProtocol.Command> onCallFinished(CallFinished finished) {
    AsyncCalls.Done done =
        asyncCalls.finished(
            finished.unitId(), finished.index(), finished.value(), finished.error(), where);
    if (done == null) return this; // more calls to come, or cancelled meanwhile
    asyncResults
        .computeIfAbsent(done.replyTo(), coordinator -> new ArrayList<>())
        .add(done.result());
    if (!flushPending) {
      flushPending = true;
      getContext().getSelf().tell(FlushAsyncResults.INSTANCE);
    }
    return this;
  }

  private Behavior<WorkerProtocol.Command> onFlushAsyncResults() {
    flushPending = false;
    flushAsyncResults();
    return this;
  }

  private void flushAsyncResults() {
    asyncResults.forEach(
        (replyTo, list) -> {
          ResultMessages results = new ResultMessages(settings.budget(), where);
          for (UnitResult result : list) results.add(result);
          send(replyTo, results);
        });
    asyncResults.clear();
  }

  // ---- stopping

  /**
   * The job's async calls stop here; its cpu units are skipped (the node wrote the job down for
   * them).
   */
  private Behavior<WorkerProtocol.Command> onStopJob(StopJob stop) {
    asyncCalls.stopJob(stop.jobId());
    return this;
  }

  /**
   * Earlier attempts that the coordinator gave to another worker: their calls stop and their
   * capacity frees.
   */
  private Behavior<WorkerProtocol.Command> onStopUnits(StopUnits stop) {
    if (stop.stops(info.name())) asyncCalls.stopUnits(stop.unitIds());
    return this;
  }

  private Behavior<WorkerProtocol.Command> onPostStop() {
    asyncCalls.cancelAll();
    return this;
  }

  /**
   * A unit this node does not run: never another version of its task, never one of another kind.
   */
  private UnitResult failedUnit(WorkUnit unit, Task<?, ?> task) {
    String reason =
        task == null
            ? tasks.whyNot(unit.task(), unit.fingerprint(), info.node())
            : "task '" + unit.task() + "' is a " + task.kind().label() + " task on " + info.node();
    String type =
        unit.task() == null || tasks.catalog().allowed().permits(unit.task())
            ? "UnknownTask"
            : "TaskNotAllowed";
    RemoteError error = RemoteError.of(type, reason, where);
    List<ElementError> errors = new ArrayList<>();
    for (int i = 0; i < unit.inputs().size(); i++) errors.add(new ElementError(i, error));
    return UnitResult.whole(
        unit.unitId(), unit.jobId(), new Values.LongRange(0, unit.inputs().size()), errors, 0);
  }

  private WorkerContext newContext(String jobId, long unitId, long index) {
    return new WorkerContext(
        info.name(),
        info.node(),
        info.pid(),
        hostsCoordinator,
        cancellations,
        getContext().getSystem(),
        globals,
        jobId,
        unitId,
        index);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
