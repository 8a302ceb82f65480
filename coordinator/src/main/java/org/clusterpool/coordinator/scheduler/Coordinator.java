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
import org.clusterpool.node.protocol.Chunk;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.protocol.CoordinatorProtocol.AddChunks;
import org.clusterpool.node.protocol.CoordinatorProtocol.CancelJob;
import org.clusterpool.node.protocol.CoordinatorProtocol.Command;
import org.clusterpool.node.protocol.CoordinatorProtocol.GetStatus;
import org.clusterpool.node.protocol.CoordinatorProtocol.RequestWork;
import org.clusterpool.node.protocol.CoordinatorProtocol.SubmitJob;
import org.clusterpool.node.protocol.CoordinatorProtocol.UnitsDone;
import org.clusterpool.node.protocol.CoordinatorProtocol.WorkerLeaving;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.protocol.JobEvent;
import org.clusterpool.node.protocol.UnitResult;
import org.clusterpool.node.protocol.WorkUnit;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.TaskCatalog;
import org.clusterpool.node.task.TaskKind;
import org.clusterpool.node.wire.RemoteError;
import org.clusterpool.node.worker.Worker;
import org.clusterpool.node.worker.WorkerNode;

/**
 * The coordinator: it queues the chunks of every job and hands them to workers that asked for work.
 * It never pushes at a busy worker: a worker's credits say how much it can take, and each result gives
 * back what its work used. Jobs take turns, one batch each, so that several jobs share the workers.
 *
 * <p>Every unit in flight is tracked with its worker and its deadline. When a worker leaves or a deadline
 * passes, the unit goes back to the front of its job's queue; a result is kept the first time its unit
 * id comes back and dropped after that. So a unit may run twice, but every input's result reaches the
 * client exactly once.
 *
 * <p>When a worker crashes, the units it held become suspects, split into single inputs. Suspects run in
 * quarantine, one at a time in the whole cluster: if a node dies while it runs one, that one is the
 * culprit and the other units lost with the node run again uncharged. An input that crashed
 * {@code clusterpool.chunk.max-crashes} workers fails with an error that names them. A suspect that runs
 * longer than {@code clusterpool.chunk.quarantine-patience} goes on running, but out of quarantine, so
 * that one that never ends cannot hold the others back.
 */
public final class Coordinator extends AbstractBehavior<Command> {

  private record WorkerStopped(ActorRef<Worker.Command> worker) implements Command, NoSerializationVerificationNeeded {}

  private record ClientStopped(ActorRef<JobEvent> client) implements Command, NoSerializationVerificationNeeded {}

  private enum CheckDeadlines implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  /** Stops the coordinator, as the Cluster Singleton does to hand it over to another member. */
  private enum Stop implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  public static Command stopMessage() {
    return Stop.INSTANCE;
  }

  public static Behavior<Command> create(TaskCatalog catalog, CoordinatorSettings settings) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new Coordinator(context, timers, catalog, settings)));
  }

  private final TaskCatalog catalog;
  private final CoordinatorSettings settings;

  private final Map<String, JobState> jobs = new LinkedHashMap<>();
  private final ArrayDeque<JobState> cpuJobsReady = new ArrayDeque<>();
  private final ArrayDeque<JobState> asyncJobsReady = new ArrayDeque<>();
  private final Map<Long, UnitState> units = new HashMap<>();
  private final Map<ActorRef<Worker.Command>, WorkerState> workers = new LinkedHashMap<>();
  private final LinkedHashSet<WorkerState> cpuHungry = new LinkedHashSet<>();
  private final LinkedHashSet<WorkerState> asyncHungry = new LinkedHashSet<>();
  private final Map<ActorRef<JobEvent>, Set<String>> jobsByClient = new HashMap<>();
  /** Unit ids start at a random point: a result meant for another coordinator's unit never matches one of ours. */
  private long nextUnitId = ThreadLocalRandom.current().nextLong(1L << 40) << 20;
  /** The suspect running in quarantine, if any. */
  private UnitState quarantined;
  private long quarantinedSinceNanos;
  /** Nodes whose crash was pinned on a quarantined suspect: the units of their other workers are bystanders. */
  private final Map<String, Long> culpritNodes = new HashMap<>();
  private static final long CULPRIT_MEMORY_NANOS = 60_000_000_000L;

  private Coordinator(
      ActorContext<Command> context, TimerScheduler<Command> timers, TaskCatalog catalog, CoordinatorSettings settings) {
    super(context);
    this.catalog = catalog;
    this.settings = settings;
    context.getSystem().receptionist().tell(Receptionist.register(CoordinatorProtocol.SERVICE_KEY, context.getSelf()));
    timers.startTimerWithFixedDelay(CheckDeadlines.INSTANCE, settings.deadlineCheckInterval());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(UnitsDone.class, this::onUnitsDone)
        .onMessage(AddChunks.class, this::onAddChunks)
        .onMessage(SubmitJob.class, this::onSubmitJob)
        .onMessage(RequestWork.class, this::onRequestWork)
        .onMessage(CancelJob.class, this::onCancelJob)
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(WorkerLeaving.class, leaving -> onWorkerGone(leaving.worker(), "its node is leaving", false))
        .onMessage(WorkerStopped.class, stopped -> onWorkerGone(stopped.worker(), "its worker stopped", true))
        .onMessage(ClientStopped.class, this::onClientStopped)
        .onMessage(CheckDeadlines.class, check -> onCheckDeadlines())
        .onMessageEquals(Stop.INSTANCE, () -> {
          getContext().getLog().info("coordinator stops with {} jobs", jobs.size());
          return Behaviors.stopped();
        })
        .build();
  }

  // ---- workers

  private Behavior<Command> onRequestWork(RequestWork request) {
    WorkerState worker = workers.get(request.worker());
    if (worker == null) {
      worker = new WorkerState(request.worker(), request.node(), request.info());
      workers.put(request.worker(), worker);
      getContext().watchWith(request.worker(), new WorkerStopped(request.worker()));
      getContext().getLog().info("worker {} joined ({} workers)", request.info().label(), workers.size());
    }
    grant(worker, request.cpuCredit(), request.asyncCredit());
    dispatch();
    return this;
  }

  private Behavior<Command> onUnitsDone(UnitsDone done) {
    WorkerState worker = workers.get(done.worker());
    Map<ActorRef<JobEvent>, List<JobEvent.PartDone>> byClient = new HashMap<>(2);
    for (UnitResult result : done.results()) {
      UnitState unit = accept(result, worker);
      if (unit != null) {
        WorkUnit u = unit.unit;
        byClient.computeIfAbsent(unit.job.client, client -> new ArrayList<>()).add(new JobEvent.PartDone(
            unit.job.jobId, u.seq(), u.offset(), result.outputs(), result.errors(), worker != null ? worker.info.label() : "", result.nanos()));
        finishIfDone(unit.job);
      }
    }
    byClient.forEach((client, parts) -> client.tell(new JobEvent.PartsDone(parts, workerSlots())));
    if (worker != null) grant(worker, done.cpuCredit(), done.asyncCredit());
    dispatch();
    return this;
  }

  /** Takes a result if its unit still waits for one, and returns that unit; null for a late duplicate. */
  private UnitState accept(UnitResult result, WorkerState from) {
    UnitState unit = units.get(result.unitId());
    if (unit == null || !unit.job.jobId.equals(result.jobId())) return null; // a second result: the first one counted
    units.remove(result.unitId());
    JobState job = unit.job;
    if (unit.status == UnitState.Status.QUEUED) {
      job.dropQueued(unit); // it was waiting to run again; this late result makes that unnecessary
    } else {
      if (unit.worker != null) unit.worker.units.remove(result.unitId());
      leaveFlight(unit);
    }
    unit.status = UnitState.Status.DROPPED;
    job.recordCost(result.nanos(), unit.size());
    job.inputsDone += unit.size();
    if (from != null) {
      from.chunksDone++;
      from.inputsDone += unit.size();
    }
    return unit;
  }

  private void grant(WorkerState worker, int cpuCredit, int asyncCredit) {
    worker.cpuCredit += cpuCredit;
    worker.asyncCredit += asyncCredit;
    if (worker.cpuCredit > 0) cpuHungry.add(worker);
    if (worker.asyncCredit > 0) asyncHungry.add(worker);
  }

  private Behavior<Command> onWorkerGone(ActorRef<Worker.Command> ref, String reason, boolean crashed) {
    WorkerState worker = workers.remove(ref);
    if (worker == null) return this;
    getContext().unwatch(ref);
    cpuHungry.remove(worker);
    asyncHungry.remove(worker);
    String node = worker.info.node();
    long now = System.nanoTime();
    culpritNodes.values().removeIf(until -> now - until > 0);
    if (quarantined != null && quarantined.worker != null && quarantined.worker.info.node().equals(node)) {
      culpritNodes.put(node, now + CULPRIT_MEMORY_NANOS);
    }
    boolean culpritKnown = culpritNodes.containsKey(node);
    if (crashed) {
      getContext().getLog().warn("worker {} stopped holding {} units; they run again", worker.info.label(), worker.units.size());
    }
    String why = reason + " (" + worker.info.label() + ")";
    for (Long unitId : List.copyOf(worker.units)) {
      UnitState unit = units.get(unitId);
      if (unit == null || unit.worker != worker) continue;
      // A suspect out of quarantine (it outlasted the patience) that was on the node is charged too: which of
      // the two killed the node cannot be told.
      if (!crashed || (culpritKnown && unit != quarantined && !unit.isSuspect())) {
        retry(unit, why); // it left on purpose, or a suspect on its node was the cause: this unit is a bystander
      } else {
        crashed(unit, worker, why);
      }
    }
    worker.units.clear();
    dispatch();
    return this;
  }

  /**
   * The unit's worker crashed. The unit fails once it has crashed too many workers; otherwise it runs
   * again in quarantine, split into single inputs so that the one that kills is found.
   */
  private void crashed(UnitState unit, WorkerState worker, String reason) {
    JobState job = unit.job;
    leaveFlight(unit);
    unit.crashedWorkers.add(worker.info.label());
    WorkUnit u = unit.unit;
    if (unit.crashedWorkers.size() >= settings.maxCrashes()) {
      fail(unit, RemoteError.of(
          "WorkerCrashed",
          (unit.size() == 1 ? "input " + u.firstIndex() : unit.describe()) + " crashed " + unit.crashedWorkers.size()
              + " workers (" + String.join(", ", unit.crashedWorkers) + "): it is not run again (clusterpool.chunk.max-crashes)",
          "coordinator"));
      return;
    }
    job.retries++;
    job.client.tell(new JobEvent.ChunkRetried(job.jobId, u.seq(), u.offset(), unit.size(), reason + "; it runs again, one input at a time"));
    if (unit.size() == 1) {
      job.requeueSuspect(unit);
    } else {
      units.remove(u.unitId()); // its parts run under new ids; a late result of the whole is dropped
      unit.status = UnitState.Status.DROPPED;
      for (int i = 0; i < unit.size(); i++) {
        WorkUnit part = new WorkUnit(nextUnitId++, u.jobId(), u.task(), u.seq(), u.offset() + i, u.firstIndex() + i, u.inputs().slice(i, i + 1));
        UnitState suspect = new UnitState(part, job);
        suspect.crashedWorkers.addAll(unit.crashedWorkers);
        units.put(part.unitId(), suspect);
        job.requeueSuspect(suspect);
      }
    }
    ready(job);
  }

  /** The unit is no longer in flight: its job, its worker and the quarantine forget it. */
  private void leaveFlight(UnitState unit) {
    unit.job.inFlight--;
    if (unit.job.kind == TaskKind.ASYNC && unit.worker != null) unit.worker.asyncCallsInFlight -= unit.size();
    if (unit == quarantined) releaseQuarantine();
  }

  private void releaseQuarantine() {
    quarantined = null;
    for (JobState job : jobs.values()) if (job.suspectsQueued > 0) ready(job);
  }

  /** Every input of the unit fails with the error; the job goes on. */
  private void fail(UnitState unit, RemoteError error) {
    JobState job = unit.job;
    WorkUnit u = unit.unit;
    units.remove(u.unitId());
    unit.status = UnitState.Status.DROPPED;
    List<ElementError> errors = new ArrayList<>(unit.size());
    for (int i = 0; i < unit.size(); i++) errors.add(new ElementError(i, error));
    job.inputsDone += unit.size();
    job.client.tell(new JobEvent.PartsDone(
        List.of(new JobEvent.PartDone(job.jobId, u.seq(), u.offset(), u.inputs(), errors, "", 0)), workerSlots()));
    finishIfDone(job);
  }

  private Behavior<Command> onCheckDeadlines() {
    long now = System.nanoTime();
    List<UnitState> late = new ArrayList<>();
    for (UnitState unit : units.values()) {
      if (unit.status == UnitState.Status.IN_FLIGHT && now - unit.deadlineNanos > 0) late.add(unit);
    }
    for (UnitState unit : late) {
      unit.worker.units.remove(unit.unit.unitId());
      timedOut(unit, "it passed its deadline of " + settings.chunkTimeout().toSeconds() + " s on " + unit.worker.info.label());
    }
    boolean patienceOver = quarantined != null && now - quarantinedSinceNanos > settings.quarantinePatience().toNanos();
    if (patienceOver) {
      getContext().getLog().info("the suspect {} has run {} s without a crash: the next suspect starts beside it",
          quarantined.describe(), settings.quarantinePatience().toSeconds());
      releaseQuarantine();
    }
    if (!late.isEmpty() || patienceOver) dispatch();
    return this;
  }

  /** The unit goes back to the front of its queue (a suspect to the suspects), uncharged. */
  private void retry(UnitState unit, String reason) {
    JobState job = unit.job;
    leaveFlight(unit);
    WorkUnit u = unit.unit;
    job.retries++;
    job.client.tell(new JobEvent.ChunkRetried(job.jobId, u.seq(), u.offset(), unit.size(), reason));
    if (unit.isSuspect()) job.requeueSuspect(unit);
    else job.requeue(unit);
    ready(job);
  }

  /** The unit passed its deadline: it runs again, or fails once it did so too often. */
  private void timedOut(UnitState unit, String reason) {
    unit.attempts++;
    if (unit.attempts >= settings.maxAttempts()) {
      leaveFlight(unit);
      fail(unit, RemoteError.of(
          "ChunkTimedOut",
          unit.describe() + " ran out of time " + unit.attempts + " times; the last time " + reason
              + " (clusterpool.chunk.timeout, clusterpool.chunk.max-attempts)",
          "coordinator"));
      return;
    }
    retry(unit, reason);
  }

  // ---- clients

  private Behavior<Command> onSubmitJob(SubmitJob submit) {
    if (jobs.containsKey(submit.jobId())) {
      submit.replyTo().tell(new JobEvent.JobRejected(submit.jobId(), "job id " + submit.jobId() + " is already in use"));
      return this;
    }
    Task<?, ?> task = catalog.find(submit.task()).orElse(null);
    if (task == null) {
      submit.replyTo().tell(new JobEvent.JobRejected(
          submit.jobId(), "unknown task '" + submit.task() + "': accepted: " + String.join(", ", catalog.names())));
      return this;
    }
    JobState job = new JobState(submit.jobId(), submit.task(), task.kind(), submit.replyTo());
    jobs.put(job.jobId, job);
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
    JobState job = jobs.get(add.jobId());
    if (job != null) addChunks(job, add.chunks(), add.last());
    return this;
  }

  private void addChunks(JobState job, List<Chunk> chunks, boolean last) {
    for (Chunk chunk : chunks) {
      WorkUnit unit = new WorkUnit(nextUnitId++, job.jobId, job.task, chunk.seq(), 0, chunk.firstIndex(), chunk.inputs());
      UnitState state = new UnitState(unit, job);
      units.put(unit.unitId(), state);
      job.enqueue(state);
    }
    job.lastChunkReceived |= last;
    ready(job);
    if (!finishIfDone(job)) dispatch();
  }

  private Behavior<Command> onCancelJob(CancelJob cancel) {
    JobState job = jobs.get(cancel.jobId());
    if (job == null) return this;
    getContext().getLog().info("job {} cancelled: {}", job.jobId, cancel.reason());
    Set<ActorRef<WorkerNode.Command>> nodes = new HashSet<>();
    for (Iterator<UnitState> it = units.values().iterator(); it.hasNext(); ) {
      UnitState unit = it.next();
      if (unit.job != job) continue;
      it.remove();
      if (unit.status == UnitState.Status.IN_FLIGHT && unit.worker != null) {
        unit.worker.units.remove(unit.unit.unitId());
        nodes.add(unit.worker.node);
        leaveFlight(unit);
      }
      unit.status = UnitState.Status.DROPPED;
    }
    // workers with queued batches of this job may be on any node
    for (WorkerState worker : workers.values()) nodes.add(worker.node);
    for (ActorRef<WorkerNode.Command> node : nodes) node.tell(new WorkerNode.CancelJob(job.jobId));
    forget(job);
    return this;
  }

  private Behavior<Command> onClientStopped(ClientStopped stopped) {
    Set<String> clientJobs = jobsByClient.remove(stopped.client());
    if (clientJobs != null) {
      for (String jobId : List.copyOf(clientJobs)) onCancelJob(new CancelJob(jobId, "its client stopped"));
    }
    return this;
  }

  private Behavior<Command> onGetStatus(GetStatus get) {
    List<ClusterStatus.WorkerStatus> workerStatus = new ArrayList<>();
    for (WorkerState w : workers.values()) {
      workerStatus.add(new ClusterStatus.WorkerStatus(w.info, w.chunksDone, w.inputsDone, w.units.size(), w.asyncCallsInFlight));
    }
    List<ClusterStatus.JobStatus> jobStatus = new ArrayList<>();
    for (JobState j : jobs.values()) {
      jobStatus.add(new ClusterStatus.JobStatus(j.jobId, j.task, j.queued + j.suspectsQueued, j.inFlight, j.inputsDone, j.retries));
    }
    get.replyTo().tell(new ClusterStatus(workerStatus, jobStatus));
    return this;
  }

  // ---- scheduling

  private int workerSlots() {
    return Math.max(1, workers.size());
  }

  /**
   * Puts the job in its round, once, if a worker could get work from it now: each turn of the round hands
   * out one batch. A job with only suspects waits out of the round while another suspect is in quarantine.
   */
  private void ready(JobState job) {
    if (job.inRound || !jobs.containsKey(job.jobId) || !job.hasWork(quarantined == null)) return;
    job.inRound = true;
    (job.kind == TaskKind.CPU ? cpuJobsReady : asyncJobsReady).addLast(job);
  }

  /** The next job of the round that has work to give now. */
  private JobState nextJob(ArrayDeque<JobState> round) {
    JobState job;
    while ((job = round.pollFirst()) != null) {
      job.inRound = false;
      if (job.hasWork(quarantined == null)) return job;
    }
    return null;
  }

  /** Hands out work while some worker has credit and some job has queued units. */
  private void dispatch() {
    JobState job;
    while (!cpuHungry.isEmpty() && (job = nextJob(cpuJobsReady)) != null) {
      WorkerState worker = takeFirst(cpuHungry);
      List<WorkUnit> batch = cpuBatch(job, worker);
      worker.cpuCredit--;
      worker.ref.tell(new Worker.Assign(TaskKind.CPU, batch, getContext().getSelf()));
      ready(job);
      if (worker.cpuCredit > 0) cpuHungry.add(worker);
    }
    while (!asyncHungry.isEmpty() && (job = nextJob(asyncJobsReady)) != null) {
      WorkerState worker = takeFirst(asyncHungry);
      List<WorkUnit> batch = asyncBatch(job, worker);
      worker.ref.tell(new Worker.Assign(TaskKind.ASYNC, batch, getContext().getSelf()));
      ready(job);
      if (worker.asyncCredit > 0) asyncHungry.add(worker);
    }
  }

  private static WorkerState takeFirst(LinkedHashSet<WorkerState> set) {
    Iterator<WorkerState> it = set.iterator();
    WorkerState first = it.next();
    it.remove();
    return first;
  }

  /**
   * One unit, or, once the job's cost is known, as many cheap units as fit in the batch target: chunks of
   * one tiny input then share a message instead of paying a round trip each.
   */
  private List<WorkUnit> cpuBatch(JobState job, WorkerState worker) {
    List<WorkUnit> suspect = quarantine(job, worker);
    if (suspect != null) return suspect;
    List<WorkUnit> batch = new ArrayList<>(1);
    double estimate = 0;
    while (true) {
      UnitState unit = job.poll();
      estimate += job.estimateNanos(unit);
      send(unit, worker);
      batch.add(unit.unit);
      UnitState next = job.peek();
      if (next == null
          || !job.costKnown()
          || batch.size() >= settings.batchMaxChunks()
          || estimate + job.estimateNanos(next) > settings.batchTargetNanos()) {
        return batch;
      }
    }
  }

  /** Async units up to the worker's credit, spread over the workers that have some. */
  private List<WorkUnit> asyncBatch(JobState job, WorkerState worker) {
    List<WorkUnit> suspect = quarantine(job, worker);
    if (suspect != null) {
      worker.asyncCredit -= 1;
      worker.asyncCallsInFlight += 1;
      return suspect;
    }
    int share = Math.max(1, (int) Math.ceil((double) job.queued / (asyncHungry.size() + 1)));
    List<WorkUnit> batch = new ArrayList<>();
    while (batch.size() < share && worker.asyncCredit > 0) {
      UnitState unit = job.poll();
      if (unit == null) break;
      worker.asyncCredit -= unit.size();
      worker.asyncCallsInFlight += unit.size();
      send(unit, worker);
      batch.add(unit.unit);
    }
    return batch;
  }

  /** A suspect of the job, alone in its batch, if none is in quarantine now; else null. */
  private List<WorkUnit> quarantine(JobState job, WorkerState worker) {
    if (quarantined != null || job.suspectsQueued == 0) return null;
    UnitState suspect = job.pollSuspect();
    if (suspect == null) return null;
    quarantined = suspect;
    quarantinedSinceNanos = System.nanoTime();
    send(suspect, worker);
    return List.of(suspect.unit);
  }

  private void send(UnitState unit, WorkerState worker) {
    unit.status = UnitState.Status.IN_FLIGHT;
    unit.worker = worker;
    unit.deadlineNanos = System.nanoTime() + settings.chunkTimeout().toNanos();
    unit.job.inFlight++;
    worker.units.add(unit.unit.unitId());
  }

  private boolean finishIfDone(JobState job) {
    if (!job.isFinished()) return false;
    forget(job);
    return true;
  }

  private void forget(JobState job) {
    jobs.remove(job.jobId);
    if (job.inRound) {
      job.inRound = false;
      (job.kind == TaskKind.CPU ? cpuJobsReady : asyncJobsReady).remove(job);
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
}
