package org.clusterpool.coordinator.scheduler;

import java.util.ArrayList;
import java.util.List;
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
import org.clusterpool.node.directlink.DirectLinks;
import org.clusterpool.node.protocol.Activity;
import org.clusterpool.node.protocol.Chunk;
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
import org.clusterpool.node.protocol.JobEvent;
import org.clusterpool.node.protocol.MessageBudget;
import org.clusterpool.node.protocol.TaskSignature;
import org.clusterpool.node.protocol.UnitResult;
import org.clusterpool.node.protocol.WorkUnit;
import org.clusterpool.node.protocol.WorkerProtocol;
import org.clusterpool.node.task.TaskKind;
import org.clusterpool.node.wire.RemoteError;

/**
 * The coordinator: it queues the chunks of every job and hands them to workers that have room. It
 * never pushes at a busy worker: it counts each worker's credit itself, from the capacity the
 * worker stated and the batches sent and not yet answered. Jobs take turns, one batch each, so that
 * several jobs share the workers.
 *
 * <p>Every unit in flight is tracked with its worker and a deadline that follows its job's measured
 * cost. When a worker leaves, a deadline passes, or a worker's report shows that a unit's message
 * was lost, the unit goes back to the front of its job's queue (an earlier attempt still running is
 * stopped); each input's result is kept the first time it comes and dropped after that. So a unit
 * may run twice, but every input's result reaches the client once.
 *
 * <p>When a worker crashes, the units it held become suspects, in two halves that run in {@link
 * Quarantine}, each alone on its node; a half that kills again is cut in halves again, down to the
 * input that kills (O(log n) crashes), and that input fails once it has crashed {@code
 * clusterpool.chunk.max-crashes} workers. A job whose work has had no worker for {@code
 * clusterpool.job.no-workers-timeout} fails with the cause.
 *
 * <p>It runs no task itself and needs none: each worker node tells it what it runs ({@link
 * NodeCatalogs}), and a job names its task with the version it means. A job's units go only to
 * workers whose node has that very task, so a node with another version of it, or without it, never
 * gets its work; a job that no node can run is refused at once when every node has said what it
 * runs, and otherwise fails after the no-workers timeout, naming what each node has.
 *
 * <p>It trusts no message (see {@link MessageChecks}): a bad one is dropped and logged. It runs
 * under a {@link CoordinatorGuardian}, which starts a new incarnation if it fails all the same.
 *
 * <p>It is the one place that receives and sends; each policy with state sits behind a class of its
 * own, which decides: {@link Jobs} (the live jobs, their clients and rounds), {@link Workers} (who
 * has credit), {@link Units}, {@link Batches} (what goes in an {@code Assign}), {@link Suspects}
 * (what a crash makes of a worker's units), {@link NoWorkerWatch}, {@link JobIntake}, {@link
 * StatusAnswers}. Why it is longer than ~400 lines: what is left is a handler per message and the
 * steps a unit's end takes (answered, run again, failed, timed out), each of which tells a client,
 * a worker or a node; split further, they would send from outside the actor.
 */
public final class Coordinator extends AbstractBehavior<Command> {

  private record WorkerStopped(ActorRef<WorkerProtocol.Command> worker)
      implements Command, NoSerializationVerificationNeeded {}

  private record ClientStopped(ActorRef<JobEvent> client)
      implements Command, NoSerializationVerificationNeeded {}

  private record NodeStopped(ActorRef<WorkerProtocol.NodeCommand> node)
      implements Command, NoSerializationVerificationNeeded {}

  private enum Tick implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  static Behavior<Command> create(CoordinatorSettings settings) {
    return Behaviors.setup(
        context -> Behaviors.withTimers(timers -> new Coordinator(context, timers, settings)));
  }

  private final CoordinatorSettings settings;

  /** How its messages to workers and their nodes go: over a direct link where one is open. */
  private final DirectLinks links;

  /** The tasks a job may run here: {@code clusterpool.tasks.allowed} of this member's config. */
  private final AllowedTasks allowed;

  private final MessageBudget budget;

  /**
   * Names this start of the coordinator: workers count its assignments apart from an earlier one's.
   */
  private final long incarnation = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);

  private final Jobs jobs = new Jobs();
  private final Units units = new Units();
  private final Workers workers = new Workers();
  private final Batches batches;
  private final Suspects suspects;
  private final WorkerLosses losses = new WorkerLosses();
  private final NodeCatalogs catalogs = new NodeCatalogs();
  private final ActivityLog activity = new ActivityLog();
  private final Counters counters = new Counters();
  private final StatusAnswers answers;
  private final JobIntake intake;
  private final NoWorkerWatch noWorkers;

  private Coordinator(
      ActorContext<Command> context, TimerScheduler<Command> timers, CoordinatorSettings settings) {
    super(context);
    this.settings = settings;
    this.links = DirectLinks.get(context.getSystem());
    this.allowed = AllowedTasks.fromConfig(context.getSystem().settings().config());
    this.budget = settings.budget();
    this.batches = new Batches(settings, budget);
    this.answers = new StatusAnswers(budget, incarnation);
    this.intake = new JobIntake(allowed);
    this.noWorkers = new NoWorkerWatch(settings.noWorkersTimeout());
    this.suspects =
        new Suspects(
            settings,
            units,
            activity,
            new Suspects.Verdicts() {
              @Override
              public void rerun(UnitState unit, String reason) {
                retry(unit, reason);
              }

              @Override
              public void announceRerun(UnitState unit, String reason) {
                announceRetry(unit, reason);
              }

              @Override
              public void fail(UnitState unit, RemoteError error) {
                Coordinator.this.fail(unit, error);
              }
            });
    context
        .getSystem()
        .receptionist()
        .tell(Receptionist.register(CoordinatorProtocol.SERVICE_KEY, context.getSelf()));
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
      workers.add(worker);
      getContext().watchWith(report.worker(), new WorkerStopped(report.worker()));
      trackNode(report.node(), report.info().node());
      catalogs.workerJoined(report.node(), report.info().node());
      getContext()
          .getLog()
          .info("worker {} joined ({} workers)", report.info().label(), workers.size());
    }
    if (!worker.takeReport(report.reportSeq(), report.cpuCapacity(), report.asyncCapacity()))
      return this;
    if (report.incarnation() == incarnation && report.heldComplete()) recoverLost(worker, report);
    if (catalogs.shouldAsk(report.node(), System.nanoTime())) {
      links.tell(
          report.node(),
          new WorkerProtocol.SendCatalog(getContext().getSelf())); // its workers wait for it
    }
    workers.creditChanged(worker);
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
      // the first catalog of a node is news; a pool of its JVM registering task objects changes it
      // at every job
      if (known)
        getContext()
            .getLog()
            .debug(
                "node {} runs {} tasks (catalog {})",
                part.address(),
                catalogs.taskCount(part.node()),
                part.version());
      else
        getContext()
            .getLog()
            .info("node {} runs {} tasks", part.address(), catalogs.taskCount(part.node()));
      dispatch(); // its workers may take work now
    }
    return this;
  }

  private Behavior<Command> onNodeStopped(NodeStopped stopped) {
    catalogs.nodeGone(stopped.node());
    return this;
  }

  /**
   * Units whose assignment or answer was lost on the way to or from the worker ({@link
   * Units#lostOn}) run again.
   */
  private void recoverLost(WorkerState worker, WorkerReport report) {
    List<UnitState> lost = units.lostOn(worker, report.heldUnits(), report.lastAssignSeq());
    if (lost.isEmpty()) return;
    counters.answersLost(lost.size());
    getContext()
        .getLog()
        .warn(
            "{} units sent to {} were neither answered nor held by it: a message was lost; they run"
                + " again",
            lost.size(),
            worker.info.label());
    for (UnitState unit : lost) {
      String reason = "its answer from " + worker.info.label() + " was lost";
      // a loss costs nothing, as the transport's fault; but a unit lost again and again is lost
      // for a reason of its own, and would run for ever
      if (++unit.losses >= MAX_LOSSES) {
        fail(
            unit,
            RemoteError.of(
                "ChunkLost",
                unit.describe()
                    + " was sent "
                    + unit.losses
                    + " times and neither answered nor held by its worker; the last time "
                    + reason,
                "coordinator"));
      } else {
        retry(unit, reason);
      }
    }
  }

  /**
   * Losses of one unit before it fails: far more than a flaky transport loses of one unit, so only
   * a unit that cannot be run reaches it.
   */
  private static final int MAX_LOSSES = 20;

  private Behavior<Command> onUnitsDone(UnitsDone done) {
    if (refused(MessageChecks.unitsDone(done))) return this;
    WorkerState worker = workers.get(done.worker());
    if (worker != null && done.incarnation() == incarnation) {
      long firstMissing = worker.resultsArrived(done.seq());
      if (firstMissing > 0) {
        getContext()
            .getLog()
            .warn(
                "results {} to {} from {} did not arrive: asking it what it holds",
                firstMissing,
                done.seq() - 1,
                worker.info.label());
        links.tell(worker.ref, new WorkerProtocol.ReportNow(getContext().getSelf()));
      }
    }
    ClientMessages out = new ClientMessages(budget);
    for (UnitResult result : done.results()) {
      if (refused(MessageChecks.result(result))) continue;
      UnitState unit = units.get(result.unitId());
      if (unit == null) {
        counters
            .lateResult(); // answered already (another attempt came first), or of a job that ended
        continue;
      }
      WorkerState holder = holder(unit, done.worker());
      if (holder == null) {
        refused(
            "result of unit "
                + result.unitId()
                + " from "
                + (worker == null ? "an unknown worker" : worker.info.label())
                + ", which never held it");
        continue;
      }
      if (refused(MessageChecks.matches(result, unit))) continue;
      accept(unit, result, holder, out);
    }
    out.flush(workers.slots());
    if (worker != null) workers.creditChanged(worker);
    dispatch();
    return this;
  }

  /**
   * The worker, among those that held an attempt of the unit, that {@code ref} is: it may have left
   * since.
   */
  private static WorkerState holder(UnitState unit, ActorRef<WorkerProtocol.Command> ref) {
    for (WorkerState holder : unit.holders) {
      if (holder.ref.equals(ref)) return holder;
    }
    return null;
  }

  /**
   * Passes on the inputs of the result that had none yet; the unit is done once each input has one.
   */
  private void accept(UnitState unit, UnitResult result, WorkerState worker, ClientMessages out) {
    List<JobEvent.PartDone> parts = unit.claim(result, worker.info.label());
    if (parts.isEmpty()) {
      counters.lateResult();
    } else {
      unit.job.recordCost(result.nanos(), result.outputs().size());
      for (JobEvent.PartDone part : parts) {
        out.add(unit.job.client(), part, workers.slots());
        unit.job.inputsAnswered(part.outputs().size());
        worker.inputsAnswered(part.outputs().size());
      }
    }
    if (unit.answered.complete()) {
      worker.unitCompleted();
      done(unit, worker, result.unitId());
    }
  }

  /**
   * The unit has a result for each input, the last from {@code from} under {@code answeredId}: its
   * job, its workers and its group forget it, and an attempt still running stops: one elsewhere, or
   * the current one on that same worker when the answer came from an attempt stopped before it (a
   * renumbered unit, whose late result won).
   */
  private void done(UnitState unit, WorkerState from, long answeredId) {
    activity.answered(unit, from);
    units.remove(unit);
    for (WorkerState holder : unit.holders) holder.release(unit.id());
    if (unit.status == UnitState.Status.IN_FLIGHT
        && unit.worker != null
        && (unit.worker != from || answeredId != unit.id())
        && workers.isLive(unit.worker)) {
      links.tell(unit.worker.node, new WorkerProtocol.StopUnits(List.of(unit.id()), ""));
    }
    suspects.leaveGroup(unit);
    unit.job.close(unit);
    finishIfDone(unit.job);
  }

  private Behavior<Command> onWorkerLeaving(WorkerLeaving leaving) {
    if (leaving.worker() == null) {
      refused("a worker leaving without its reference");
      return this;
    }
    WorkerState leaver = workers.get(leaving.worker());
    if (leaver == null) return this;
    boolean crashed = !leaving.crash().isEmpty();
    String reason = crashed ? leaving.crash() : "left (its node is leaving)";
    // its node leaves with all its workers, whose own messages follow: none of them is given what
    // this one held back meanwhile
    List<ActorRef<WorkerProtocol.Command>> ofItsNode = new ArrayList<>();
    for (WorkerState worker : workers.all())
      if (worker.node.equals(leaver.node)) ofItsNode.add(worker.ref);
    for (ActorRef<WorkerProtocol.Command> ref : ofItsNode) release(ref, reason, crashed);
    dispatch();
    return this;
  }

  private Behavior<Command> onWorkerGone(
      ActorRef<WorkerProtocol.Command> ref, String reason, boolean crashed) {
    release(ref, reason, crashed);
    dispatch();
    return this;
  }

  /** The worker is gone: what it held runs again, charged to it as a crash or not. */
  private void release(ActorRef<WorkerProtocol.Command> ref, String reason, boolean crashed) {
    WorkerState worker = workers.remove(ref);
    if (worker == null) return;
    getContext().unwatch(ref);
    catalogs.workerLeft(worker.node);
    List<UnitState> held = units.releaseAll(worker);
    losses.lost(worker, reason, held);
    String why = "its worker " + worker.info.label() + " " + reason;
    if (crashed) {
      // an idle worker's end is news only to whoever reads the logs (a pool's worker JVMs stopping
      // end theirs so)
      if (held.isEmpty())
        getContext().getLog().info("worker {} stopped, holding no work", worker.info.label());
      else
        getContext()
            .getLog()
            .warn(
                "worker {} stopped holding {} units; they run again",
                worker.info.label(),
                held.size());
      suspects.crashed(worker, held, why);
    } else {
      suspects.left(held, why);
    }
    for (UnitState unit : held)
      activity.ended(unit, Activity.Outcome.RERUN); // those not failed meanwhile
  }

  private void announceRetry(UnitState unit, String reason) {
    JobState job = unit.job;
    job.unitRerun();
    counters.unitRetried();
    WorkUnit u = unit.unit;
    job.client()
        .tell(new JobEvent.ChunkRetried(job.jobId(), u.seq(), u.offset(), unit.size(), reason));
  }

  /** The unit goes back to the front of its queue, uncharged. */
  private void retry(UnitState unit, String reason) {
    activity.ended(unit, Activity.Outcome.RERUN);
    if (unit.worker != null) unit.worker.release(unit.id());
    announceRetry(unit, reason);
    unit.job.requeue(unit);
    jobs.ready(unit.job);
  }

  /** Every open input of the unit fails with the error; the job goes on. */
  private void fail(UnitState unit, RemoteError error) {
    activity.ended(unit, Activity.Outcome.FAILED);
    JobState job = unit.job;
    ClientMessages out = new ClientMessages(budget);
    out.fail(job.client(), unit, unit.answered.open(), error, workers.slots());
    out.flush(workers.slots());
    job.inputsAnswered(unit.open());
    units.remove(unit);
    for (WorkerState holder : unit.holders) holder.release(unit.id());
    suspects.leaveGroup(unit);
    job.close(unit);
    finishIfDone(job);
  }

  private Behavior<Command> onTick() {
    long now = System.nanoTime();
    for (UnitState unit : units.late(now)) timedOut(unit, now);
    for (SuspectGroup group : suspects.patienceOver(now)) {
      getContext()
          .getLog()
          .info(
              "the suspects {} have run {} s without a crash: their node takes the next group"
                  + " beside them",
              group.describe(),
              settings.quarantinePatience().toSeconds());
    }
    failJobsWithoutWorkers(now);
    dispatch();
    return this;
  }

  /**
   * The unit passed its deadline: its attempt stops, and it runs again elsewhere, or fails once it
   * did so too often.
   */
  private void timedOut(UnitState unit, long now) {
    WorkerState worker = unit.worker;
    worker.release(unit.id());
    // that attempt only: the unit may run again on another worker of the same node
    links.tell(worker.node, new WorkerProtocol.StopUnits(List.of(unit.id()), worker.info.name()));
    if (unit.job.signature().kind() == TaskKind.CPU) {
      // its thread is still in the task, which may never stop: the worker gets nothing more until
      // it reports again
      worker.heldPastDeadline(
          "task '"
              + unit.job.signature().name()
              + "', "
              + unit.describe()
              + " of job "
              + unit.job.jobId());
      workers.creditChanged(worker);
    }
    unit.timeouts++;
    String reason =
        "it passed its deadline of "
            + Math.round((unit.deadlineNanos - unit.sentNanos) / 1e9)
            + " s on "
            + worker.info.label();
    suspects.leaveGroup(
        unit); // slow, not a killer: it leaves its group and runs on as an ordinary unit
    if (unit.timeouts >= settings.maxAttempts()) {
      fail(
          unit,
          RemoteError.of(
              "ChunkTimedOut",
              unit.describe()
                  + " ran out of time "
                  + unit.timeouts
                  + " times; the last time "
                  + reason
                  + " (clusterpool.chunk.timeout, timeout-min, timeout-factor, max-attempts)",
              "coordinator"));
    } else {
      // the node now stops this unit's id on that worker: the next attempt, which may go to the
      // same worker, runs under a new id
      units.renumber(unit);
      retry(unit, reason);
    }
  }

  /**
   * Jobs whose work has had no worker for the no-workers timeout fail with the cause ({@link
   * NoWorkerWatch}).
   */
  private void failJobsWithoutWorkers(long now) {
    for (NoWorkerWatch.Overdue overdue :
        noWorkers.overdue(
            now,
            List.copyOf(jobs.all()),
            catalogs,
            workers.isEmpty(),
            losses,
            this::heldPastDeadline)) {
      JobState job = overdue.job();
      counters.jobFailedForNoWorker();
      getContext().getLog().warn("job {} fails: {}", job.jobId(), overdue.cause());
      job.client().tell(new JobEvent.JobFailed(job.jobId(), "NoWorkers", overdue.cause()));
      drop(job, "it failed: no worker");
    }
  }

  /**
   * When every worker that runs the task is held by a cpu unit past its deadline, which of them and
   * by what; null when one is free, or none is known.
   */
  private String heldPastDeadline(TaskSignature task) {
    List<String> held = new ArrayList<>();
    for (WorkerState worker : workers.all()) {
      if (!catalogs.has(worker.node, task)) continue;
      if (worker.heldBy() == null) return null;
      held.add(worker.info.label() + " by " + worker.heldBy());
    }
    return held.isEmpty() ? null : String.join("; ", held);
  }

  // ---- clients

  private Behavior<Command> onSubmitJob(SubmitJob submit) {
    String problem = MessageChecks.submit(submit);
    if (problem != null) {
      refused(problem);
      JobEvent.JobRejected refusal = JobIntake.malformed(submit, problem);
      if (refusal != null) submit.replyTo().tell(refusal);
      return this;
    }
    JobState known = jobs.get(submit.jobId());
    if (known != null) {
      if (!known.client().equals(submit.replyTo()))
        submit.replyTo().tell(JobIntake.idInUse(submit));
      else addChunks(known, submit.chunks(), submit.last()); // sent again: the chunks it lacks
      return this;
    }
    JobEvent.JobRejected refusal = intake.refusal(submit, catalogs);
    if (refusal != null) {
      if (refusal.kind().equals(JobEvent.JobRejected.TASK_NOT_ALLOWED)) {
        getContext()
            .getLog()
            .warn("job {} refused: {}", submit.jobId(), allowed.whyNot(submit.task().name()));
      }
      submit.replyTo().tell(refusal);
      return this;
    }
    JobState job = new JobState(submit.jobId(), submit.task(), submit.replyTo());
    if (!catalogs.runnable(submit.task()))
      job.noWorkerSince(System.nanoTime()); // it waits for a node that runs it, or fails
    if (jobs.add(job))
      getContext().watchWith(submit.replyTo(), new ClientStopped(submit.replyTo()));
    addChunks(job, submit.chunks(), submit.last());
    return this;
  }

  private Behavior<Command> onAddChunks(AddChunks add) {
    if (refused(MessageChecks.chunks(add.jobId(), add.chunks()))) return this;
    JobState job = jobs.get(add.jobId());
    if (job != null)
      addChunks(
          job, add.chunks(), add.last()); // else it ended, or its start was lost: its client checks
    return this;
  }

  private void addChunks(JobState job, List<Chunk> chunks, boolean last) {
    List<UnitState> tooLarge = new ArrayList<>(0);
    for (Chunk chunk : chunks) {
      if (!job.receive(chunk.seq())) continue; // it has it already
      UnitState unit = units.open(job, chunk);
      if (MessageBudget.of(unit.unit) > budget.content()) tooLarge.add(unit);
    }
    if (last) job.lastChunkReceived();
    for (UnitState unit : tooLarge) {
      fail(
          unit,
          RemoteError.of(
              "MessageTooLarge",
              unit.describe()
                  + " takes more than one message carries ("
                  + budget.maxBytes()
                  + " bytes, clusterpool.message.max-bytes): send smaller chunks",
              "coordinator"));
    }
    jobs.ready(job);
    if (!finishIfDone(job)) dispatch();
  }

  private Behavior<Command> onCancelJob(CancelJob cancel) {
    if (cancel.jobId() == null) {
      refused("a cancel without a job id");
      return this;
    }
    JobState job = jobs.get(cancel.jobId());
    if (job == null) return this;
    getContext().getLog().info("job {} cancelled: {}", job.jobId(), Echo.cut(cancel.reason()));
    drop(job, "cancelled");
    return this;
  }

  /** The job ends before its results are in: its units go, and the nodes stop what runs of it. */
  private void drop(JobState job, String why) {
    suspects.dropJob(job);
    for (UnitState unit : units.removeAllOf(job)) {
      activity.ended(unit, Activity.Outcome.CANCELLED);
      for (WorkerState holder : unit.holders) holder.release(unit.id());
      job.close(unit);
    }
    // workers with queued batches of this job may be on any node
    for (ActorRef<WorkerProtocol.NodeCommand> node : workers.nodes())
      links.tell(node, new WorkerProtocol.StopJob(job.jobId()));
    forget(job);
    for (WorkerState worker : workers.all()) workers.creditChanged(worker);
  }

  private Behavior<Command> onClientStopped(ClientStopped stopped) {
    for (JobState job : jobs.clientStopped(stopped.client())) {
      if (jobs.contains(job)) drop(job, "its client stopped");
    }
    return this;
  }

  /**
   * Which of the client's jobs this coordinator lacks, in whole or in part: the client sends them
   * again.
   */
  private Behavior<Command> onCheckJobs(CheckJobs check) {
    if (check.replyTo() == null || check.jobs() == null) {
      refused("a job check without its jobs or whom to answer");
      return this;
    }
    for (JobEvent.JobsChecked answer : answers.jobsChecked(check.jobs(), jobs))
      check.replyTo().tell(answer);
    return this;
  }

  private Behavior<Command> onGetStatus(GetStatus get) {
    if (get.replyTo() == null) {
      refused("a status request without whom to answer");
      return this;
    }
    get.replyTo()
        .tell(
            answers.status(
                workers, units, jobs, catalogs, counters.toStatus(incarnation, losses.count())));
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

  /**
   * Hands out work while some worker has credit: suspect groups first, then one batch per job in
   * turn, each to the first hungry worker whose node runs the job's task. A job that none of the
   * hungry workers can run keeps its place at the front of the round for the next time, and the
   * others take their turns: each turn sends a batch or sets a job aside, so the loop ends.
   */
  private void dispatch() {
    if (suspects.hasWaiting()) {
      for (WorkerState worker : workers.hungryNow(TaskKind.CPU)) startGroup(TaskKind.CPU, worker);
      for (WorkerState worker : workers.hungryNow(TaskKind.ASYNC))
        startGroup(TaskKind.ASYNC, worker);
    }
    dispatch(TaskKind.CPU);
    dispatch(TaskKind.ASYNC);
  }

  private void dispatch(TaskKind kind) {
    List<JobState> setAside = new ArrayList<>(0);
    JobState job;
    while (workers.hasHungry(kind) && (job = jobs.nextInRound(kind)) != null) {
      TaskSignature task = job.signature();
      WorkerState worker = workers.takeFirstThat(kind, w -> catalogs.has(w.node, task));
      if (worker == null) {
        setAside.add(job);
        continue;
      }
      assign(worker, kind, batches.take(kind, job, worker, workers.hungryCount(kind)));
      jobs.ready(job);
    }
    jobs.putBack(kind, setAside); // back where they were, in their order
  }

  private void startGroup(TaskKind kind, WorkerState worker) {
    if (!workers.isHungry(kind, worker)) return;
    SuspectGroup group = suspects.startOn(kind, worker, g -> catalogs.has(worker.node, g.task));
    if (group != null) assign(worker, kind, List.copyOf(group.units));
  }

  /**
   * Sends the batch: the worker's credit counts it, and each unit gets its deadline from its job's
   * cost.
   */
  private void assign(WorkerState worker, TaskKind kind, List<UnitState> batch) {
    if (batch.isEmpty()) return;
    int ahead = kind == TaskKind.CPU ? worker.cpuBatchesOut() : 0;
    long seq = worker.countBatch(kind, batch);
    long now = System.nanoTime();
    long nowMillis = System.currentTimeMillis();
    List<WorkUnit> work = new ArrayList<>(batch.size());
    for (UnitState unit : batch) {
      activity.sent(unit, worker, nowMillis);
      unit.sentTo(
          worker,
          seq,
          now,
          now + settings.deadlineNanos(unit.job.deadlineEstimateNanos(unit), ahead, unit.timeouts));
      unit.job.sent(unit);
      // a worker took its work, however short its life: the ticks of the no-worker watch alone
      // missed workers that came and went between them, and failed a job as having had none
      unit.job.hasWorker();
      work.add(unit.unit);
    }
    links.tell(
        worker.ref,
        new WorkerProtocol.Assign(incarnation, seq, kind, work, getContext().getSelf()));
    workers.creditChanged(worker);
  }

  private boolean finishIfDone(JobState job) {
    if (!job.isFinished() || !jobs.contains(job)) return false;
    forget(job);
    return true;
  }

  private void forget(JobState job) {
    if (jobs.forget(job)) getContext().unwatch(job.client());
  }

  /** Counts and logs a message that failed a check; true when there was a problem. */
  private boolean refused(String problem) {
    if (problem == null) return false;
    long badMessages = counters.badMessage();
    if (badMessages <= 20 || badMessages % 1000 == 0) {
      getContext().getLog().warn("dropped a message: {} ({} dropped so far)", problem, badMessages);
    }
    return true;
  }
}
