package org.clusterpool.coordinator.scheduler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.clusterpool.coordinator.input.Echo;
import org.clusterpool.node.catalog.AllowedTasks;
import org.clusterpool.node.protocol.Activity;
import org.clusterpool.node.protocol.Chunk;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.protocol.CoordinatorProtocol.AddChunks;
import org.clusterpool.node.protocol.CoordinatorProtocol.CancelJob;
import org.clusterpool.node.protocol.CoordinatorProtocol.CheckJobs;
import org.clusterpool.node.protocol.CoordinatorProtocol.Command;
import org.clusterpool.node.protocol.CoordinatorProtocol.GetStatus;
import org.clusterpool.node.protocol.CoordinatorProtocol.NodeCatalog;
import org.clusterpool.node.protocol.CoordinatorProtocol.SubmitJob;
import org.clusterpool.node.protocol.CoordinatorProtocol.UnitsDone;
import org.clusterpool.node.protocol.CoordinatorProtocol.WorkerLeaving;
import org.clusterpool.node.protocol.CoordinatorProtocol.WorkerReport;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.protocol.JobEvent;
import org.clusterpool.node.protocol.MessageBudget;
import org.clusterpool.node.protocol.TaskSignature;
import org.clusterpool.node.protocol.UnitResult;
import org.clusterpool.node.protocol.WorkUnit;
import org.clusterpool.node.protocol.WorkerProtocol;
import org.clusterpool.node.task.TaskKind;
import org.clusterpool.node.wire.RemoteError;
import org.clusterpool.node.wire.Values;

/**
 * The coordinator: it queues the chunks of every job and hands them to workers that have room. It never pushes at a
 * busy worker: it counts each worker's credit itself, from the capacity the worker stated and the batches sent and
 * not yet answered. Jobs take turns, one batch each, so that several jobs share the workers.
 *
 * <p>Every unit in flight is tracked with its worker and a deadline that follows its job's measured cost. When a
 * worker leaves, a deadline passes, or a worker's report shows that a unit's message was lost, the unit goes back to
 * the front of its job's queue (an earlier attempt still running is stopped); each input's result is kept the first
 * time it comes and dropped after that. So a unit may run twice, but every input's result reaches the client once.
 *
 * <p>When a worker crashes, the units it held become suspects, in two halves that run in {@link Quarantine}, each
 * alone on its node; a half that kills again is cut in halves again, down to the input that kills (O(log n) crashes),
 * and that input fails once it has crashed {@code clusterpool.chunk.max-crashes} workers. A job whose work has had no worker for
 * {@code clusterpool.job.no-workers-timeout} fails with the cause.
 *
 * <p>It runs no task itself and needs none: each worker node tells it what it runs ({@link NodeCatalogs}), and a
 * job names its task with the version it means. A job's units go only to workers whose node has that very task, so a
 * node with another version of it, or without it, never gets its work; a job that no node can run is refused at once
 * when every node has said what it runs, and otherwise fails after the no-workers timeout, naming what each node has.
 *
 * <p>It trusts no message (see {@link MessageChecks}): a bad one is dropped and logged. It runs under a
 * {@link CoordinatorGuardian}, which starts a new incarnation if it fails all the same.
 */
public final class Coordinator extends AbstractBehavior<Command> {

  private record WorkerStopped(ActorRef<WorkerProtocol.Command> worker) implements Command, NoSerializationVerificationNeeded {}

  private record ClientStopped(ActorRef<JobEvent> client) implements Command, NoSerializationVerificationNeeded {}

  private record NodeStopped(ActorRef<WorkerProtocol.NodeCommand> node) implements Command, NoSerializationVerificationNeeded {}

  private enum Tick implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  /** How long a node whose crash was pinned on a suspect group keeps that verdict for its other workers. */
  private static final long CULPRIT_MEMORY_NANOS = 60_000_000_000L;

  /** What one entry of a status answer takes besides its names: field names and numbers. */
  private static final long STATUS_ENTRY = 256;

  /** Async calls in one group of suspects at most, so that a group fits beside other calls on one worker. */
  private static final int ASYNC_GROUP_MAX = 10_000;

  static Behavior<Command> create(CoordinatorSettings settings) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new Coordinator(context, timers, settings)));
  }

  private final CoordinatorSettings settings;
  /** The tasks a job may run here: {@code clusterpool.tasks.allowed} of this member's config. */
  private final AllowedTasks allowed;
  private final MessageBudget budget;
  /** Names this start of the coordinator: workers count its assignments apart from an earlier one's. */
  private final long incarnation = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);

  private final Map<String, JobState> jobs = new LinkedHashMap<>();
  private final Map<JobState, Long> jobStarts = new HashMap<>();
  private final ArrayDeque<JobState> cpuRound = new ArrayDeque<>();
  private final ArrayDeque<JobState> asyncRound = new ArrayDeque<>();
  private final Map<Long, UnitState> units = new HashMap<>();
  private final Map<ActorRef<WorkerProtocol.Command>, WorkerState> workers = new LinkedHashMap<>();
  private final LinkedHashSet<WorkerState> cpuHungry = new LinkedHashSet<>();
  private final LinkedHashSet<WorkerState> asyncHungry = new LinkedHashSet<>();
  private final Map<ActorRef<JobEvent>, Set<String>> jobsByClient = new HashMap<>();
  /** Unit ids start at a random point: a result meant for another incarnation's unit never matches one of ours. */
  private long nextUnitId = ThreadLocalRandom.current().nextLong(1L << 40) << 20;
  private final Quarantine quarantine = new Quarantine();
  /** Nodes whose crash was pinned on a suspect group: the units of their other workers are bystanders. */
  private final Map<String, Long> culpritNodes = new HashMap<>();
  private final WorkerLosses losses = new WorkerLosses();
  private final NodeCatalogs catalogs = new NodeCatalogs();
  private final ActivityLog activity = new ActivityLog();
  private long lateResults;
  private long badMessages;
  private long lostAnswers;
  private long unitsRetried;
  private long jobsFailedForNoWorker;

  private Coordinator(ActorContext<Command> context, TimerScheduler<Command> timers, CoordinatorSettings settings) {
    super(context);
    this.settings = settings;
    this.allowed = AllowedTasks.fromConfig(context.getSystem().settings().config());
    this.budget = settings.budget();
    context.getSystem().receptionist().tell(Receptionist.register(CoordinatorProtocol.SERVICE_KEY, context.getSelf()));
    timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.deadlineCheckInterval());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(UnitsDone.class, this::onUnitsDone)
        .onMessage(AddChunks.class, this::onAddChunks)
        .onMessage(SubmitJob.class, this::onSubmitJob)
        .onMessage(WorkerReport.class, this::onWorkerReport)
        .onMessage(NodeCatalog.class, this::onNodeCatalog)
        .onMessage(NodeStopped.class, this::onNodeStopped)
        .onMessage(CancelJob.class, this::onCancelJob)
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(CoordinatorProtocol.GetActivity.class, this::onGetActivity)
        .onMessage(CheckJobs.class, this::onCheckJobs)
        .onMessage(WorkerLeaving.class, this::onWorkerLeaving)
        .onMessage(WorkerStopped.class, stopped -> onWorkerGone(stopped.worker(), "stopped", true))
        .onMessage(ClientStopped.class, this::onClientStopped)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .build();
  }

  // ---- workers

  private Behavior<Command> onWorkerReport(WorkerReport report) {
    if (refused(MessageChecks.report(report))) return this;
    WorkerState worker = workers.get(report.worker());
    if (worker == null) {
      worker = new WorkerState(report.worker(), report.node(), report.info());
      workers.put(report.worker(), worker);
      getContext().watchWith(report.worker(), new WorkerStopped(report.worker()));
      trackNode(report.node(), report.info().node());
      catalogs.workerJoined(report.node(), report.info().node());
      getContext().getLog().info("worker {} joined ({} workers)", report.info().label(), workers.size());
    }
    if (!worker.takeReport(report.reportSeq(), report.cpuCapacity(), report.asyncCapacity())) return this;
    if (report.incarnation() == incarnation && report.heldComplete()) recoverLost(worker, report);
    if (catalogs.shouldAsk(report.node(), System.nanoTime())) {
      report.node().tell(new WorkerProtocol.SendCatalog(getContext().getSelf())); // its workers wait for it
    }
    refresh(worker);
    dispatch();
    return this;
  }

  /** The node's JVM is watched from its first word: when it goes, so does its catalog. */
  private void trackNode(ActorRef<WorkerProtocol.NodeCommand> node, String address) {
    if (catalogs.isTracked(node)) return;
    catalogs.track(node, address);
    getContext().watchWith(node, new NodeStopped(node));
  }

  private Behavior<Command> onNodeCatalog(NodeCatalog part) {
    if (refused(MessageChecks.catalog(part))) return this;
    trackNode(part.node(), part.address());
    boolean known = catalogs.known(part.node());
    boolean[] completed = {false};
    if (refused(catalogs.take(part, completed))) return this;
    if (completed[0]) {
      // the first catalog of a node is news; a pool of its JVM registering task objects changes it at every job
      if (known) getContext().getLog().debug("node {} runs {} tasks (catalog {})", part.address(), catalogs.taskCount(part.node()), part.version());
      else getContext().getLog().info("node {} runs {} tasks", part.address(), catalogs.taskCount(part.node()));
      dispatch(); // its workers may take work now
    }
    return this;
  }

  private Behavior<Command> onNodeStopped(NodeStopped stopped) {
    catalogs.nodeGone(stopped.node());
    return this;
  }

  /**
   * Units sent to the worker in assignments it has taken, that it neither holds nor answered: the assignment or the
   * answer was lost on the way (the worker's answers come before its report, in order). They run again.
   */
  private void recoverLost(WorkerState worker, WorkerReport report) {
    Set<Long> held = new HashSet<>();
    Values ids = report.heldUnits();
    if (ids instanceof Values.Longs longs) {
      for (long id : longs.values()) held.add(id);
    } else if (ids.size() > 0) {
      return; // not a list this coordinator reads: no audit this time
    }
    List<UnitState> lost = new ArrayList<>();
    for (Long unitId : worker.unitsTakenUpTo(report.lastAssignSeq())) {
      if (held.contains(unitId)) continue;
      worker.release(unitId);
      UnitState unit = units.get(unitId);
      if (unit != null && unit.worker == worker && unit.status == UnitState.Status.IN_FLIGHT) lost.add(unit);
    }
    if (lost.isEmpty()) return;
    lostAnswers += lost.size();
    getContext().getLog().warn("{} units sent to {} were neither answered nor held by it: a message was lost; they run again",
        lost.size(), worker.info.label());
    for (UnitState unit : lost) retry(unit, "its answer from " + worker.info.label() + " was lost");
  }

  private Behavior<Command> onUnitsDone(UnitsDone done) {
    if (refused(MessageChecks.unitsDone(done))) return this;
    WorkerState worker = workers.get(done.worker());
    if (worker != null && done.incarnation() == incarnation) {
      if (done.seq() > worker.lastResultSeq + 1) {
        getContext().getLog().warn("results {} to {} from {} did not arrive: asking it what it holds",
            worker.lastResultSeq + 1, done.seq() - 1, worker.info.label());
        worker.ref.tell(new WorkerProtocol.ReportNow(getContext().getSelf()));
      }
      worker.lastResultSeq = Math.max(worker.lastResultSeq, done.seq());
    }
    ClientMessages out = new ClientMessages(budget);
    for (UnitResult result : done.results()) {
      if (refused(MessageChecks.result(result))) continue;
      UnitState unit = units.get(result.unitId());
      if (unit == null) {
        lateResults++; // answered already (another attempt came first), or of a job that ended
        continue;
      }
      WorkerState holder = holder(unit, done.worker());
      if (holder == null) {
        refused("result of unit " + result.unitId() + " from " + (worker == null ? "an unknown worker" : worker.info.label())
            + ", which never held it");
        continue;
      }
      if (refused(MessageChecks.matches(result, unit))) continue;
      accept(unit, result, holder, out);
    }
    out.flush(workerSlots());
    if (worker != null) refresh(worker);
    dispatch();
    return this;
  }

  /** The worker, among those that held an attempt of the unit, that {@code ref} is: it may have left since. */
  private static WorkerState holder(UnitState unit, ActorRef<WorkerProtocol.Command> ref) {
    for (WorkerState holder : unit.holders) {
      if (holder.ref.equals(ref)) return holder;
    }
    return null;
  }

  /** Passes on the inputs of the result that had none yet; the unit is done once each input has one. */
  private void accept(UnitState unit, UnitResult result, WorkerState worker, ClientMessages out) {
    int n = result.outputs().size();
    List<int[]> ranges = unit.answered.claim(result.offset(), n);
    if (ranges.isEmpty()) {
      lateResults++;
    } else {
      JobState job = unit.job;
      job.recordCost(result.nanos(), n);
      for (int[] range : ranges) {
        int from = range[0] - result.offset();
        int to = range[1] - result.offset();
        boolean all = from == 0 && to == n;
        Values outputs = all ? result.outputs() : result.outputs().slice(from, to);
        List<ElementError> errors = all ? result.errors() : errorsWithin(result.errors(), from, to);
        if (!errors.isEmpty()) unit.inputsFailed = true;
        out.add(job.client, new JobEvent.PartDone(job.jobId, unit.unit.seq(), unit.unit.offset() + range[0], outputs, errors,
            worker.info.label(), result.nanos()), workerSlots());
        job.inputsDone += to - from;
        worker.inputsDone += to - from;
      }
    }
    if (unit.answered.complete()) {
      worker.chunksDone++;
      done(unit, worker);
    }
  }

  private static List<ElementError> errorsWithin(List<ElementError> errors, int from, int to) {
    List<ElementError> out = new ArrayList<>();
    for (ElementError e : errors) {
      if (e.index() >= from && e.index() < to) out.add(new ElementError(e.index() - from, e.error()));
    }
    return out;
  }

  /**
   * The unit has a result for each input, the last from {@code from}: its job, its workers and its group forget it,
   * and an attempt still running elsewhere stops.
   */
  private void done(UnitState unit, WorkerState from) {
    activity.answered(unit, from);
    units.remove(unit.id());
    for (WorkerState holder : unit.holders) holder.release(unit.id());
    if (unit.status == UnitState.Status.IN_FLIGHT && unit.worker != null && unit.worker != from
        && workers.containsKey(unit.worker.ref)) {
      unit.worker.node.tell(new WorkerProtocol.StopUnits(List.of(unit.id())));
    }
    SuspectGroup group = unit.group;
    if (group != null && group.done(unit)) quarantine.leave(group);
    unit.job.close(unit);
    finishIfDone(unit.job);
  }

  private Behavior<Command> onWorkerLeaving(WorkerLeaving leaving) {
    if (leaving.worker() == null) {
      refused("a worker leaving without its reference");
      return this;
    }
    return onWorkerGone(leaving.worker(), "left (its node is leaving)", false);
  }

  private Behavior<Command> onWorkerGone(ActorRef<WorkerProtocol.Command> ref, String reason, boolean crashed) {
    WorkerState worker = workers.remove(ref);
    if (worker == null) return this;
    getContext().unwatch(ref);
    cpuHungry.remove(worker);
    asyncHungry.remove(worker);
    catalogs.workerLeft(worker.node);
    List<UnitState> held = new ArrayList<>();
    for (Long unitId : worker.units()) {
      UnitState unit = units.get(unitId);
      if (unit != null && unit.worker == worker && unit.status == UnitState.Status.IN_FLIGHT) held.add(unit);
      worker.release(unitId);
    }
    losses.lost(worker, reason, held);
    String why = "its worker " + worker.info.label() + " " + reason;
    if (crashed) {
      // an idle worker's end is news only to whoever reads the logs (a pool's worker JVMs stopping end theirs so)
      if (held.isEmpty()) getContext().getLog().info("worker {} stopped, holding no work", worker.info.label());
      else getContext().getLog().warn("worker {} stopped holding {} units; they run again", worker.info.label(), held.size());
      crashed(worker, held, why);
    } else {
      for (UnitState unit : held) {
        if (unit.group != null) unit.job.toQuarantine(unit); // it waits with its group, which goes back uncharged
        else retry(unit, why);
      }
      requeueGroupsOf(held);
    }
    for (UnitState unit : held) activity.ended(unit, Activity.Outcome.RERUN); // those not failed meanwhile
    dispatch();
    return this;
  }

  /**
   * A worker crashed. If a suspect group ran on its node, the crash is that group's: it is charged, and the other
   * units of the node are bystanders that run again uncharged. Otherwise the units it held become a new group.
   */
  private void crashed(WorkerState worker, List<UnitState> held, String why) {
    String node = worker.info.node();
    long now = System.nanoTime();
    culpritNodes.values().removeIf(until -> now - until > 0);
    List<SuspectGroup> charged = quarantine.onNode(node);
    if (!charged.isEmpty()) culpritNodes.put(node, now + CULPRIT_MEMORY_NANOS);
    for (SuspectGroup group : charged) charge(group, worker.info.label());
    boolean culpritKnown = culpritNodes.containsKey(node);
    List<UnitState> suspects = new ArrayList<>();
    for (UnitState unit : held) {
      if (unit.status != UnitState.Status.IN_FLIGHT) continue; // charged with its group above
      if (unit.group != null) {
        unit.job.toQuarantine(unit);
      } else if (culpritKnown) {
        retry(unit, why + " (a suspect on its node was the cause)");
      } else {
        suspects.add(unit);
      }
    }
    requeueGroupsOf(held);
    if (!suspects.isEmpty()) quarantine(suspects, List.of(worker.info.label()), why);
  }

  /** Groups whose members were on a worker that went, uncharged: they wait for a node again. */
  private void requeueGroupsOf(List<UnitState> held) {
    Set<SuspectGroup> groups = new LinkedHashSet<>();
    for (UnitState unit : held) {
      if (unit.group != null && unit.group.node != null) groups.add(unit.group);
    }
    for (SuspectGroup group : groups) {
      for (UnitState unit : group.units) {
        if (unit.worker != null) unit.worker.release(unit.id());
        unit.job.toQuarantine(unit);
      }
      quarantine.leave(group);
      quarantine.add(group);
    }
  }

  /**
   * The units become suspect groups, by kind and each under the message budget, cut in halves at once: a group that
   * kills again is then already half the size, and the innocent half runs beside it on another node.
   */
  private void quarantine(List<UnitState> suspects, List<String> crashes, String why) {
    Set<TaskSignature> tasks = new LinkedHashSet<>();
    for (UnitState unit : suspects) tasks.add(unit.job.signature);
    for (TaskSignature task : tasks) { // a group is of one task: it runs on a node that has that task
      TaskKind kind = task.kind();
      List<UnitState> group = new ArrayList<>();
      long bytes = 0;
      int inputs = 0;
      for (UnitState unit : suspects) {
        if (!unit.job.signature.equals(task)) continue;
        long size = MessageBudget.of(unit.unit);
        if (!group.isEmpty() && (!budget.fits(bytes, size) || (kind == TaskKind.ASYNC && inputs + unit.size() > ASYNC_GROUP_MAX))) {
          enqueueHalves(new SuspectGroup(task, group, crashes));
          group = new ArrayList<>();
          bytes = 0;
          inputs = 0;
        }
        unit.job.toQuarantine(unit);
        announceRetry(unit, why + "; it runs again in quarantine");
        group.add(unit);
        bytes += size;
        inputs += unit.size();
      }
      if (!group.isEmpty()) enqueueHalves(new SuspectGroup(task, group, crashes));
    }
  }

  private void enqueueHalves(SuspectGroup group) {
    if (group.open() < 2) {
      quarantine.add(group);
    } else {
      for (SuspectGroup half : halves(group)) quarantine.add(half);
    }
  }

  /**
   * A suspect group's node died while it ran: it is charged. Cut in halves and run again; a single input that has
   * now crashed {@code max-crashes} workers fails instead.
   */
  private void charge(SuspectGroup group, String worker) {
    quarantine.leave(group);
    group.crashes.add(worker);
    boolean fails = group.open() == 1 && group.crashes.size() >= settings.maxCrashes();
    for (UnitState unit : group.units) {
      activity.ended(unit, fails ? Activity.Outcome.FAILED : Activity.Outcome.RERUN);
      if (unit.worker != null) unit.worker.release(unit.id());
      unit.job.toQuarantine(unit);
    }
    int open = group.open();
    if (open == 0) return;
    if (open == 1) {
      UnitState unit = group.units.get(0);
      if (group.crashes.size() >= settings.maxCrashes()) {
        fail(unit, RemoteError.of("WorkerCrashed", unit.describe() + " crashed " + group.crashes.size() + " workers ("
            + String.join(", ", group.crashes) + "): it is not run again (clusterpool.chunk.max-crashes)", "coordinator"));
      } else {
        announceRetry(unit, "its worker " + worker + " crashed while it ran alone in quarantine; it runs again");
        quarantine.add(group);
      }
      return;
    }
    for (SuspectGroup half : halves(group)) {
      for (UnitState unit : half.units) announceRetry(unit, "its worker " + worker + " crashed while its group ran in quarantine: "
          + "the group runs again in halves, to find the input that kills");
      quarantine.add(half);
    }
  }

  /** The group cut in two by its open inputs: between its units, or inside its one unit. */
  private List<SuspectGroup> halves(SuspectGroup group) {
    List<UnitState> members = new ArrayList<>(group.units);
    if (members.size() == 1) {
      UnitState unit = members.get(0);
      List<UnitState> halves = unit.halves(() -> nextUnitId++);
      units.remove(unit.id());
      unit.job.replace(unit, halves.size());
      group.done(unit);
      List<SuspectGroup> out = new ArrayList<>();
      for (UnitState half : halves) {
        units.put(half.id(), half);
        out.add(new SuspectGroup(group.task, List.of(half), group.crashes));
      }
      return out;
    }
    int total = group.open();
    int seen = 0;
    int cut = 1;
    for (int i = 0; i < members.size() - 1; i++) {
      seen += members.get(i).open();
      cut = i + 1;
      if (seen * 2 >= total) break;
    }
    return List.of(
        new SuspectGroup(group.task, members.subList(0, cut), group.crashes),
        new SuspectGroup(group.task, members.subList(cut, members.size()), group.crashes));
  }

  private void announceRetry(UnitState unit, String reason) {
    JobState job = unit.job;
    job.retries++;
    unitsRetried++;
    WorkUnit u = unit.unit;
    job.client.tell(new JobEvent.ChunkRetried(job.jobId, u.seq(), u.offset(), unit.size(), reason));
  }

  /** The unit goes back to the front of its queue, uncharged. */
  private void retry(UnitState unit, String reason) {
    activity.ended(unit, Activity.Outcome.RERUN);
    if (unit.worker != null) unit.worker.release(unit.id());
    announceRetry(unit, reason);
    unit.job.requeue(unit);
    ready(unit.job);
  }

  /** Every open input of the unit fails with the error; the job goes on. */
  private void fail(UnitState unit, RemoteError error) {
    activity.ended(unit, Activity.Outcome.FAILED);
    JobState job = unit.job;
    ClientMessages out = new ClientMessages(budget);
    out.fail(job.client, unit, unit.answered.open(), error, workerSlots());
    out.flush(workerSlots());
    job.inputsDone += unit.open();
    units.remove(unit.id());
    for (WorkerState holder : unit.holders) holder.release(unit.id());
    SuspectGroup group = unit.group;
    if (group != null && group.done(unit)) quarantine.leave(group);
    job.close(unit);
    finishIfDone(job);
  }

  private Behavior<Command> onTick() {
    long now = System.nanoTime();
    List<UnitState> late = new ArrayList<>();
    for (UnitState unit : units.values()) {
      if (unit.status == UnitState.Status.IN_FLIGHT && now - unit.deadlineNanos > 0) late.add(unit);
    }
    for (UnitState unit : late) timedOut(unit, now);
    for (SuspectGroup group : quarantine.patienceOver(now, settings.quarantinePatience().toNanos())) {
      getContext().getLog().info("the suspects {} have run {} s without a crash: their node takes the next group beside them",
          group.describe(), settings.quarantinePatience().toSeconds());
    }
    failJobsWithoutWorkers(now);
    dispatch();
    return this;
  }

  /** The unit passed its deadline: its attempt stops, and it runs again elsewhere, or fails once it did so too often. */
  private void timedOut(UnitState unit, long now) {
    WorkerState worker = unit.worker;
    worker.release(unit.id());
    worker.node.tell(new WorkerProtocol.StopUnits(List.of(unit.id())));
    unit.timeouts++;
    String reason = "it passed its deadline of " + Math.round((unit.deadlineNanos - unit.sentNanos) / 1e9) + " s on "
        + worker.info.label();
    if (unit.group != null) { // slow, not a killer: it leaves its group and runs on as an ordinary unit
      SuspectGroup group = unit.group;
      if (group.done(unit)) quarantine.leave(group);
    }
    if (unit.timeouts >= settings.maxAttempts()) {
      fail(unit, RemoteError.of("ChunkTimedOut", unit.describe() + " ran out of time " + unit.timeouts + " times; the last time "
          + reason + " (clusterpool.chunk.timeout, timeout-min, timeout-factor, max-attempts)", "coordinator"));
    } else {
      retry(unit, reason);
    }
  }

  /**
   * Jobs with work that no live worker can run (none is left, or none of the nodes left has the job's task at its
   * version) for the no-workers timeout fail, naming why: the workers lost and what they ran, or what each node has.
   */
  private void failJobsWithoutWorkers(long now) {
    for (JobState job : List.copyOf(jobs.values())) {
      if (job.open() == 0 || catalogs.runnable(job.signature)) {
        job.noWorkerSinceNanos = 0;
        continue;
      }
      if (job.noWorkerSinceNanos == 0) job.noWorkerSinceNanos = now;
      if (now - job.noWorkerSinceNanos < settings.noWorkersTimeout().toNanos()) continue;
      jobsFailedForNoWorker++;
      String cause = workers.isEmpty()
          ? "no worker has been available for " + shown(settings.noWorkersTimeout()) + " (clusterpool.job.no-workers-timeout): "
              + losses.describe()
          : "no worker that runs task " + job.signature.describe() + " has been available for " + shown(settings.noWorkersTimeout())
              + " (clusterpool.job.no-workers-timeout): " + catalogs.whyNot(job.signature);
      getContext().getLog().warn("job {} fails: {}", job.jobId, cause);
      job.client.tell(new JobEvent.JobFailed(job.jobId, "NoWorkers", cause));
      drop(job, "it failed: no worker");
    }
  }

  // ---- clients

  private Behavior<Command> onSubmitJob(SubmitJob submit) {
    String problem = MessageChecks.submit(submit);
    if (problem != null) {
      refused(problem);
      if (submit.replyTo() != null && submit.jobId() != null) {
        submit.replyTo().tell(new JobEvent.JobRejected(submit.jobId(), JobEvent.JobRejected.REFUSED, "the job was refused: " + problem));
      }
      return this;
    }
    JobState known = jobs.get(submit.jobId());
    if (known != null) {
      if (!known.client.equals(submit.replyTo())) {
        submit.replyTo().tell(new JobEvent.JobRejected(
            submit.jobId(), JobEvent.JobRejected.REFUSED, "job id " + submit.jobId() + " is already in use"));
      } else {
        addChunks(known, submit.chunks(), submit.last()); // sent again: the chunks it lacks
      }
      return this;
    }
    TaskSignature task = submit.task();
    if (!allowed.permits(task.name())) { // the operator's choice, whoever sends the job
      getContext().getLog().warn("job {} refused: {}", submit.jobId(), allowed.whyNot(task.name()));
      submit.replyTo().tell(new JobEvent.JobRejected(
          submit.jobId(), JobEvent.JobRejected.TASK_NOT_ALLOWED, "the job was refused: " + allowed.whyNot(task.name())));
      return this;
    }
    if (catalogs.allLiveKnown() && !catalogs.runnable(task)) { // every node has said what it runs: none runs this
      submit.replyTo().tell(new JobEvent.JobRejected(
          submit.jobId(), JobEvent.JobRejected.TASK_UNAVAILABLE, "the job was refused: " + catalogs.whyNot(task)));
      return this;
    }
    JobState job = new JobState(submit.jobId(), task, submit.replyTo());
    long now = System.nanoTime();
    if (!catalogs.runnable(task)) job.noWorkerSinceNanos = now; // it waits for a node that runs it, or fails
    jobs.put(job.jobId, job);
    jobStarts.put(job, now);
    Set<String> clientJobs = jobsByClient.get(submit.replyTo());
    if (clientJobs == null) {
      clientJobs = new HashSet<>();
      jobsByClient.put(submit.replyTo(), clientJobs);
      getContext().watchWith(submit.replyTo(), new ClientStopped(submit.replyTo()));
    }
    clientJobs.add(job.jobId);
    addChunks(job, submit.chunks(), submit.last());
    return this;
  }

  private Behavior<Command> onAddChunks(AddChunks add) {
    if (refused(MessageChecks.chunks(add.jobId(), add.chunks()))) return this;
    JobState job = jobs.get(add.jobId());
    if (job != null) addChunks(job, add.chunks(), add.last()); // else it ended, or its start was lost: its client checks
    return this;
  }

  private void addChunks(JobState job, List<Chunk> chunks, boolean last) {
    List<UnitState> tooLarge = new ArrayList<>(0);
    for (Chunk chunk : chunks) {
      if (!job.receive(chunk.seq())) continue; // it has it already
      WorkUnit unit = new WorkUnit(
          nextUnitId++, job.jobId, job.task, job.signature.fingerprint(), chunk.seq(), 0, chunk.firstIndex(), chunk.inputs());
      UnitState state = new UnitState(unit, job);
      units.put(unit.unitId(), state);
      job.add(state);
      if (MessageBudget.of(unit) > budget.content()) tooLarge.add(state);
    }
    if (last) job.lastChunkReceived();
    for (UnitState unit : tooLarge) {
      fail(unit, RemoteError.of("MessageTooLarge", unit.describe() + " takes more than one message carries ("
          + budget.maxBytes() + " bytes, clusterpool.message.max-bytes): send smaller chunks", "coordinator"));
    }
    ready(job);
    if (!finishIfDone(job)) dispatch();
  }

  private Behavior<Command> onCancelJob(CancelJob cancel) {
    if (cancel.jobId() == null) {
      refused("a cancel without a job id");
      return this;
    }
    JobState job = jobs.get(cancel.jobId());
    if (job == null) return this;
    getContext().getLog().info("job {} cancelled: {}", job.jobId, Echo.cut(cancel.reason()));
    drop(job, "cancelled");
    return this;
  }

  /** The job ends before its results are in: its units go, and the nodes stop what runs of it. */
  private void drop(JobState job, String why) {
    quarantine.dropJob(job);
    for (Iterator<UnitState> it = units.values().iterator(); it.hasNext(); ) {
      UnitState unit = it.next();
      if (unit.job != job) continue;
      it.remove();
      activity.ended(unit, Activity.Outcome.CANCELLED);
      for (WorkerState holder : unit.holders) holder.release(unit.id());
      job.close(unit);
    }
    // workers with queued batches of this job may be on any node
    Set<ActorRef<WorkerProtocol.NodeCommand>> nodes = new HashSet<>();
    for (WorkerState worker : workers.values()) nodes.add(worker.node);
    for (ActorRef<WorkerProtocol.NodeCommand> node : nodes) node.tell(new WorkerProtocol.StopJob(job.jobId));
    forget(job);
    for (WorkerState worker : workers.values()) refresh(worker);
  }

  private Behavior<Command> onClientStopped(ClientStopped stopped) {
    Set<String> clientJobs = jobsByClient.remove(stopped.client());
    if (clientJobs != null) {
      for (String jobId : List.copyOf(clientJobs)) {
        JobState job = jobs.get(jobId);
        if (job != null) drop(job, "its client stopped");
      }
    }
    return this;
  }

  /** Which of the client's jobs this coordinator lacks, in whole or in part: the client sends them again. */
  private Behavior<Command> onCheckJobs(CheckJobs check) {
    if (check.replyTo() == null || check.jobs() == null) {
      refused("a job check without its jobs or whom to answer");
      return this;
    }
    List<String> unknown = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    long bytes = 0;
    for (CoordinatorProtocol.JobCheck asked : check.jobs()) {
      if (asked == null || asked.jobId() == null) continue;
      JobState job = jobs.get(asked.jobId());
      List<String> list;
      if (job == null) list = unknown;
      else if (job.chunksReceived() < asked.chunksSent() || (asked.lastSent() && !job.hasLastChunk())) list = missing;
      else continue;
      long size = MessageBudget.text(asked.jobId());
      if (!budget.fits(bytes, size)) {
        check.replyTo().tell(new JobEvent.JobsChecked(incarnation, unknown, missing));
        unknown = new ArrayList<>();
        missing = new ArrayList<>();
        list = job == null ? unknown : missing;
        bytes = 0;
      }
      list.add(asked.jobId());
      bytes += size;
    }
    check.replyTo().tell(new JobEvent.JobsChecked(incarnation, unknown, missing));
    return this;
  }

  private Behavior<Command> onGetStatus(GetStatus get) {
    if (get.replyTo() == null) {
      refused("a status request without whom to answer");
      return this;
    }
    // as many entries as one message carries: the rest are counted, not listed
    long bytes = 0;
    List<ClusterStatus.WorkerStatus> workerStatus = new ArrayList<>();
    for (WorkerState w : workers.values()) {
      long size = STATUS_ENTRY + MessageBudget.text(w.info.name()) + MessageBudget.text(w.info.node());
      if (!budget.fits(bytes, size)) break;
      bytes += size;
      int inFlight = 0;
      for (Long id : w.units()) {
        UnitState unit = units.get(id);
        if (unit != null && unit.worker == w) inFlight++;
      }
      workerStatus.add(new ClusterStatus.WorkerStatus(
          w.info, w.chunksDone, w.inputsDone, inFlight, w.asyncCallsOut(), w.cpuCapacity(), w.cpuBatchesOut()));
    }
    List<ClusterStatus.JobStatus> jobStatus = new ArrayList<>();
    for (JobState j : jobs.values()) {
      long size = STATUS_ENTRY + MessageBudget.text(j.jobId) + MessageBudget.text(j.task);
      if (!budget.fits(bytes, size)) break;
      bytes += size;
      jobStatus.add(new ClusterStatus.JobStatus(j.jobId, j.task, j.open() - j.inFlight(), j.inFlight(), j.inputsDone, j.retries));
    }
    ClusterStatus.TaskVersion[] versions = catalogs.versions();
    List<ClusterStatus.TaskVersion> taskVersions = new ArrayList<>();
    for (ClusterStatus.TaskVersion version : versions) {
      long size = NodeCatalogs.bytes(version);
      if (!budget.fits(bytes, size)) break;
      bytes += size;
      taskVersions.add(version);
    }
    ClusterStatus.Counters counters = new ClusterStatus.Counters(
        incarnation, lateResults, badMessages, lostAnswers, unitsRetried, losses.count(), jobsFailedForNoWorker);
    get.replyTo().tell(new ClusterStatus(workerStatus, workers.size() - workerStatus.size(), jobStatus,
        jobs.size() - jobStatus.size(), counters, catalogs.liveNodes(), taskVersions, versions.length - taskVersions.size()));
    return this;
  }

  /** The spans after the asker's, as many as it asks and one message carries. */
  private Behavior<Command> onGetActivity(CoordinatorProtocol.GetActivity get) {
    if (get.replyTo() == null) {
      refused("an activity request without whom to answer");
      return this;
    }
    get.replyTo().tell(activity.since(get.afterSeq(), get.max(), budget));
    return this;
  }

  // ---- scheduling

  private int workerSlots() {
    return Math.max(1, workers.size());
  }

  /** Whether a worker may get more work: its credit, as this coordinator counts it. */
  private void refresh(WorkerState worker) {
    if (!workers.containsKey(worker.ref)) return;
    if (worker.cpuCredit() > 0) cpuHungry.add(worker);
    else cpuHungry.remove(worker);
    if (worker.asyncCredit() > 0) asyncHungry.add(worker);
    else asyncHungry.remove(worker);
  }

  /** Puts the job in its round, once, if it has queued units: each turn of the round hands out one batch. */
  private void ready(JobState job) {
    if (job.inRound || !jobs.containsKey(job.jobId) || !job.hasQueued()) return;
    job.inRound = true;
    (job.kind == TaskKind.CPU ? cpuRound : asyncRound).addLast(job);
  }

  private static JobState nextJob(ArrayDeque<JobState> round) {
    JobState job;
    while ((job = round.pollFirst()) != null) {
      job.inRound = false;
      if (job.hasQueued()) return job;
    }
    return null;
  }

  /**
   * Hands out work while some worker has credit: suspect groups first, then one batch per job in turn, each to the
   * first hungry worker whose node runs the job's task. A job that none of the hungry workers can run keeps its place
   * at the front of the round for the next time, and the others take their turns: each turn sends a batch or sets a
   * job aside, so the loop ends.
   */
  private void dispatch() {
    if (quarantine.hasWaiting()) {
      for (WorkerState worker : List.copyOf(cpuHungry)) startGroup(TaskKind.CPU, worker);
      for (WorkerState worker : List.copyOf(asyncHungry)) startGroup(TaskKind.ASYNC, worker);
    }
    dispatch(TaskKind.CPU, cpuRound, cpuHungry);
    dispatch(TaskKind.ASYNC, asyncRound, asyncHungry);
  }

  private void dispatch(TaskKind kind, ArrayDeque<JobState> round, LinkedHashSet<WorkerState> hungry) {
    List<JobState> setAside = new ArrayList<>(0);
    JobState job;
    while (!hungry.isEmpty() && (job = nextJob(round)) != null) {
      WorkerState worker = takeFirstThatRuns(hungry, job.signature);
      if (worker == null) {
        setAside.add(job);
        continue;
      }
      send(worker, kind, kind == TaskKind.CPU ? cpuBatch(job) : asyncBatch(job, worker));
      ready(job);
    }
    for (int i = setAside.size() - 1; i >= 0; i--) { // back where they were, in their order
      JobState aside = setAside.get(i);
      if (aside.inRound || !jobs.containsKey(aside.jobId) || !aside.hasQueued()) continue;
      aside.inRound = true;
      round.addFirst(aside);
    }
  }

  private void startGroup(TaskKind kind, WorkerState worker) {
    if (!(kind == TaskKind.CPU ? cpuHungry : asyncHungry).contains(worker)) return;
    SuspectGroup group = quarantine.next(kind, worker.info.node(), g -> catalogs.has(worker.node, g.task));
    if (group == null) return;
    quarantine.started(group, worker.info.node(), System.nanoTime());
    send(worker, kind, List.copyOf(group.units));
  }

  /** The first worker of the set whose node runs the task, taken out of it; null when none does. */
  private WorkerState takeFirstThatRuns(LinkedHashSet<WorkerState> set, TaskSignature task) {
    for (Iterator<WorkerState> it = set.iterator(); it.hasNext(); ) {
      WorkerState worker = it.next();
      if (!catalogs.has(worker.node, task)) continue;
      it.remove();
      return worker;
    }
    return null;
  }

  /**
   * One unit, or, once the job's cost is known, as many cheap units as fit in the batch target and in one message:
   * chunks of one tiny input then share a message instead of paying a round trip each.
   */
  private List<UnitState> cpuBatch(JobState job) {
    List<UnitState> batch = new ArrayList<>(1);
    double estimate = 0;
    long bytes = 0;
    while (true) {
      UnitState unit = job.poll();
      if (unit == null) return batch;
      estimate += job.estimateNanos(unit);
      bytes += MessageBudget.of(unit.unit);
      batch.add(unit);
      UnitState next = job.peek();
      if (next == null
          || !job.costKnown()
          || batch.size() >= settings.batchMaxChunks()
          || estimate + job.estimateNanos(next) > settings.batchTargetNanos()
          || !budget.fits(bytes, MessageBudget.of(next.unit))) {
        return batch;
      }
    }
  }

  /** Async units up to the worker's credit and one message, spread over the workers that have credit. */
  private List<UnitState> asyncBatch(JobState job, WorkerState worker) {
    int share = Math.max(1, (int) Math.ceil((double) job.queued() / (asyncHungry.size() + 1)));
    List<UnitState> batch = new ArrayList<>();
    int credit = worker.asyncCredit();
    long bytes = 0;
    while (batch.size() < share && credit > 0) {
      UnitState next = job.peek();
      if (next == null || (!batch.isEmpty() && !budget.fits(bytes, MessageBudget.of(next.unit)))) break;
      UnitState unit = job.poll();
      credit -= unit.size();
      bytes += MessageBudget.of(unit.unit);
      batch.add(unit);
    }
    return batch;
  }

  /** Sends the batch: the worker's credit counts it, and each unit gets its deadline from its job's cost. */
  private void send(WorkerState worker, TaskKind kind, List<UnitState> batch) {
    if (batch.isEmpty()) return;
    int ahead = kind == TaskKind.CPU ? worker.cpuBatchesOut() : 0;
    long seq = worker.send(kind, batch);
    long now = System.nanoTime();
    long nowMillis = System.currentTimeMillis();
    List<WorkUnit> work = new ArrayList<>(batch.size());
    for (UnitState unit : batch) {
      activity.sent(unit, worker, nowMillis);
      unit.worker = worker;
      unit.assignSeq = seq;
      unit.holders.add(worker);
      unit.sentNanos = now;
      unit.deadlineNanos = now + settings.deadlineNanos(unit.job.deadlineEstimateNanos(unit), ahead, unit.timeouts);
      unit.job.sent(unit);
      work.add(unit.unit);
    }
    worker.ref.tell(new WorkerProtocol.Assign(incarnation, seq, kind, work, getContext().getSelf()));
    refresh(worker);
  }

  private boolean finishIfDone(JobState job) {
    if (!job.isFinished() || !jobs.containsKey(job.jobId)) return false;
    forget(job);
    return true;
  }

  private void forget(JobState job) {
    jobs.remove(job.jobId);
    jobStarts.remove(job);
    if (job.inRound) {
      job.inRound = false;
      (job.kind == TaskKind.CPU ? cpuRound : asyncRound).remove(job);
    }
    Set<String> clientJobs = jobsByClient.get(job.client);
    if (clientJobs != null) {
      clientJobs.remove(job.jobId);
      if (clientJobs.isEmpty()) {
        jobsByClient.remove(job.client);
        getContext().unwatch(job.client);
      }
    }
  }

  /** {@code 60 s}, or {@code 300 ms} below a second. */
  private static String shown(java.time.Duration duration) {
    return duration.toMillis() < 1000 ? duration.toMillis() + " ms" : duration.toSeconds() + " s";
  }

  /** Counts and logs a message that failed a check; true when there was a problem. */
  private boolean refused(String problem) {
    if (problem == null) return false;
    badMessages++;
    if (badMessages <= 20 || badMessages % 1000 == 0) {
      getContext().getLog().warn("dropped a message: {} ({} dropped so far)", problem, badMessages);
    }
    return true;
  }
}
