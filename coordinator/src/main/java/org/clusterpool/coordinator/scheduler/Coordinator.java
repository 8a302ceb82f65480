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
 * <p>Every unit in flight is tracked with its worker and its deadline. When a worker stops or a deadline
 * passes, the unit goes back to the front of its job's queue; a result is kept the first time its unit
 * id comes back and dropped after that. So a unit may run twice, but every input's result reaches the
 * client exactly once.
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
  private long nextUnitId = 1;

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
    UnitState unit = units.remove(result.unitId());
    if (unit == null) return null; // a second result for a unit that was re-run: the first one counted
    JobState job = unit.job;
    if (unit.status == UnitState.Status.QUEUED) {
      job.dropQueued(unit); // it was waiting to run again; this late result makes that unnecessary
    } else {
      job.inFlight--;
      if (unit.worker != null) {
        unit.worker.units.remove(result.unitId());
        if (job.kind == TaskKind.ASYNC) unit.worker.asyncCallsInFlight -= unit.size();
      }
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
    if (crashed) getContext().getLog().warn("worker {} stopped; {} units go back to the queue", worker.info.label(), worker.units.size());
    for (Long unitId : List.copyOf(worker.units)) {
      UnitState unit = units.get(unitId);
      if (unit != null && unit.worker == worker) retry(unit, reason + " (" + worker.info.label() + ")");
    }
    worker.units.clear();
    dispatch();
    return this;
  }

  private Behavior<Command> onCheckDeadlines() {
    long now = System.nanoTime();
    List<UnitState> late = new ArrayList<>();
    for (UnitState unit : units.values()) {
      if (unit.status == UnitState.Status.IN_FLIGHT && now - unit.deadlineNanos > 0) late.add(unit);
    }
    for (UnitState unit : late) {
      unit.worker.units.remove(unit.unit.unitId());
      retry(unit, "it passed its deadline of " + settings.chunkTimeout().toSeconds() + " s on " + unit.worker.info.label());
    }
    if (!late.isEmpty()) dispatch();
    return this;
  }

  /** The unit goes back to the front of its queue, or fails after too many attempts. */
  private void retry(UnitState unit, String reason) {
    JobState job = unit.job;
    job.inFlight--;
    if (job.kind == TaskKind.ASYNC && unit.worker != null) unit.worker.asyncCallsInFlight -= unit.size();
    unit.attempts++;
    WorkUnit u = unit.unit;
    if (unit.attempts >= settings.maxAttempts()) {
      units.remove(u.unitId());
      unit.status = UnitState.Status.DROPPED;
      RemoteError error = RemoteError.of(
          "ChunkLost",
          unit.describe() + " was lost " + unit.attempts + " times; the last time because " + reason,
          "coordinator");
      List<ElementError> errors = new ArrayList<>(unit.size());
      for (int i = 0; i < unit.size(); i++) errors.add(new ElementError(i, error));
      job.inputsDone += unit.size();
      job.client.tell(new JobEvent.PartsDone(
          List.of(new JobEvent.PartDone(job.jobId, u.seq(), u.offset(), u.inputs(), errors, "", 0)), workerSlots()));
      finishIfDone(job);
      return;
    }
    job.retries++;
    job.client.tell(new JobEvent.ChunkRetried(job.jobId, u.seq(), u.offset(), unit.size(), reason));
    job.requeue(unit);
    ready(job);
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
    if (job.hasQueued()) ready(job);
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
        if (job.kind == TaskKind.ASYNC) unit.worker.asyncCallsInFlight -= unit.size();
        nodes.add(unit.worker.node);
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
      jobStatus.add(new ClusterStatus.JobStatus(j.jobId, j.task, j.queued, j.inFlight, j.inputsDone, j.retries));
    }
    get.replyTo().tell(new ClusterStatus(workerStatus, jobStatus));
    return this;
  }

  // ---- scheduling

  private int workerSlots() {
    return Math.max(1, workers.size());
  }

  /** Puts the job in its round, once: each turn of the round hands out one batch. */
  private void ready(JobState job) {
    if (job.inRound) return;
    job.inRound = true;
    (job.kind == TaskKind.CPU ? cpuJobsReady : asyncJobsReady).addLast(job);
  }

  /** The next job of the round that still has queued units. */
  private static JobState nextJob(ArrayDeque<JobState> round) {
    JobState job;
    while ((job = round.pollFirst()) != null) {
      job.inRound = false;
      if (job.hasQueued()) return job;
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
      if (job.hasQueued()) ready(job);
      if (worker.cpuCredit > 0) cpuHungry.add(worker);
    }
    while (!asyncHungry.isEmpty() && (job = nextJob(asyncJobsReady)) != null) {
      WorkerState worker = takeFirst(asyncHungry);
      List<WorkUnit> batch = asyncBatch(job, worker);
      worker.ref.tell(new Worker.Assign(TaskKind.ASYNC, batch, getContext().getSelf()));
      if (job.hasQueued()) ready(job);
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
