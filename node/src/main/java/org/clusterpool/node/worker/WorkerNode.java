package org.clusterpool.node.worker;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.task.TaskCatalog;
import org.clusterpool.node.wire.CborSerializable;

/**
 * The worker side of one node: starts its K workers on the cpu dispatcher, starts a new one when one
 * dies, and takes the coordinator's cancellations. A cancelled job is written into a set that the
 * workers of this node read between inputs, because a worker busy with a chunk reads no messages.
 *
 * <p>When the node shuts down on purpose (SIGTERM, a scale-down), it tells the coordinator first that its
 * workers are leaving: their chunks go back to the queue at once, and no crash is counted against them.
 */
public final class WorkerNode extends AbstractBehavior<WorkerNode.Command> {

  public static final String CPU_DISPATCHER = "clusterpool.cpu-dispatcher";

  /** How long a cancelled job is remembered: longer than any of its chunks can wait in a mailbox. */
  private static final Duration REMEMBER_CANCELLED = Duration.ofHours(1);

  public sealed interface Command permits CancelJob, ForgetCancelled, CoordinatorsChanged, Leave {}

  public record CancelJob(String jobId) implements Command, CborSerializable {}

  private record ForgetCancelled(String jobId) implements Command, NoSerializationVerificationNeeded {}

  private record CoordinatorsChanged(Receptionist.Listing listing) implements Command, NoSerializationVerificationNeeded {}

  /** The node is shutting down: tell the coordinator, then answer. */
  private record Leave(ActorRef<Done> replyTo) implements Command, NoSerializationVerificationNeeded {}

  /** How long coordinated shutdown waits for the coordinator to hear that the workers leave. */
  private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(3);

  public static Behavior<Command> create(WorkerSettings settings, TaskCatalog catalog, boolean hostsCoordinator) {
    return Behaviors.setup(context -> Behaviors.withTimers(
        timers -> new WorkerNode(context, timers, settings, catalog, hostsCoordinator)));
  }

  private final TimerScheduler<Command> timers;
  private final WorkerSettings settings;
  private final TaskCatalog catalog;
  private final boolean hostsCoordinator;
  private final Set<String> cancelledJobs = ConcurrentHashMap.newKeySet();
  private final Map<ActorRef<Worker.Command>, String> workers = new HashMap<>();
  private int started;
  private ActorRef<CoordinatorProtocol.Command> coordinator;
  private boolean leaving;

  private WorkerNode(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      WorkerSettings settings,
      TaskCatalog catalog,
      boolean hostsCoordinator) {
    super(context);
    this.timers = timers;
    this.settings = settings;
    this.catalog = catalog;
    this.hostsCoordinator = hostsCoordinator;
    for (int i = 0; i < settings.perNode(); i++) startWorker();
    context.getLog().info("{} workers started", settings.perNode());
    context.getSystem().receptionist().tell(Receptionist.subscribe(
        CoordinatorProtocol.SERVICE_KEY, context.messageAdapter(Receptionist.Listing.class, CoordinatorsChanged::new)));
    ActorRef<Command> self = context.getSelf();
    ActorSystem<?> system = context.getSystem();
    CoordinatedShutdown.get(Adapter.toClassic(system)).addTask(
        CoordinatedShutdown.PhaseBeforeServiceUnbind(),
        "clusterpool-workers-leave",
        () -> AskPattern.<Command, Done>ask(self, Leave::new, LEAVE_TIMEOUT, system.scheduler()));
  }

  private void startWorker() {
    String name = "worker-" + (++started);
    ActorRef<Worker.Command> worker = getContext().spawn(
        Worker.create(settings, catalog, getContext().getSelf(), cancelledJobs, hostsCoordinator),
        name,
        DispatcherSelector.fromConfig(CPU_DISPATCHER));
    getContext().watch(worker);
    workers.put(worker, name);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(CancelJob.class, this::onCancelJob)
        .onMessage(ForgetCancelled.class, this::onForgetCancelled)
        .onMessage(CoordinatorsChanged.class, this::onCoordinatorsChanged)
        .onMessage(Leave.class, this::onLeave)
        .onSignal(Terminated.class, this::onWorkerStopped)
        .build();
  }

  private Behavior<Command> onCancelJob(CancelJob cancel) {
    if (cancelledJobs.add(cancel.jobId())) {
      for (ActorRef<Worker.Command> worker : workers.keySet()) worker.tell(new Worker.CancelJob(cancel.jobId()));
      timers.startSingleTimer(new ForgetCancelled(cancel.jobId()), REMEMBER_CANCELLED);
    }
    return this;
  }

  private Behavior<Command> onForgetCancelled(ForgetCancelled forget) {
    cancelledJobs.remove(forget.jobId());
    return this;
  }

  private Behavior<Command> onCoordinatorsChanged(CoordinatorsChanged changed) {
    var coordinators = changed.listing().getServiceInstances(CoordinatorProtocol.SERVICE_KEY);
    coordinator = coordinators.isEmpty() ? null : coordinators.iterator().next();
    return this;
  }

  private Behavior<Command> onLeave(Leave leave) {
    leaving = true;
    if (coordinator != null) {
      for (ActorRef<Worker.Command> worker : workers.keySet()) coordinator.tell(new CoordinatorProtocol.WorkerLeaving(worker));
      getContext().getLog().info("told the coordinator that {} workers leave", workers.size());
    }
    leave.replyTo().tell(Done.getInstance());
    return this;
  }

  /** A worker died of a bug, not of a task (tasks' failures are caught): replace it, as Pool replaces a dead process. */
  private Behavior<Command> onWorkerStopped(Terminated terminated) {
    String name = workers.remove(terminated.getRef().<Worker.Command>unsafeUpcast());
    if (name != null && !leaving) {
      getContext().getLog().warn("{} stopped unexpectedly; starting a new worker", name);
      startWorker();
    }
    return this;
  }
}
