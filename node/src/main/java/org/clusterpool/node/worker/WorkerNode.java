package org.clusterpool.node.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.clusterpool.node.catalog.NodeTasks;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.directlink.DirectLinks;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.protocol.WorkerProtocol;
import org.clusterpool.node.protocol.WorkerProtocol.SendCatalog;
import org.clusterpool.node.protocol.WorkerProtocol.StopJob;
import org.clusterpool.node.protocol.WorkerProtocol.StopUnits;

/**
 * The worker side of one node: starts its K workers on the cpu dispatcher, starts a new one when
 * one dies, and takes the coordinator's stops. A stopped job or unit is written into {@link
 * Cancellations}, which the workers of this node read between inputs, because a worker busy with a
 * chunk reads no messages.
 *
 * <p>It tells each coordinator it meets what the node can run ({@link
 * CoordinatorProtocol.NodeCatalog}: the catalog is the JVM's, so the node says it, not each
 * worker), and again when asked: the coordinator gives this node's workers only the work of tasks
 * it has, at the same version.
 *
 * <p>When the node shuts down on purpose (SIGTERM, a scale-down), it tells the coordinator first
 * that its workers are leaving: their chunks go back to the queue at once, and no crash is counted
 * against them.
 */
public final class WorkerNode extends AbstractBehavior<WorkerProtocol.NodeCommand> {

  public static final String CPU_DISPATCHER = "clusterpool.cpu-dispatcher";

  /**
   * How long a cancelled job is remembered: longer than any of its chunks can wait in a mailbox.
   */
  private static final Duration REMEMBER_CANCELLED = Duration.ofHours(1);

  private record ForgetJob(String jobId)
      implements WorkerProtocol.NodeCommand, NoSerializationVerificationNeeded {}

  private record ForgetUnits(List<Long> unitIds, String worker)
      implements WorkerProtocol.NodeCommand, NoSerializationVerificationNeeded {}

  private record CoordinatorsChanged(Receptionist.Listing listing)
      implements WorkerProtocol.NodeCommand, NoSerializationVerificationNeeded {}

  /** The node is shutting down: tell the coordinator, then answer. */
  private record Leave(ActorRef<Done> replyTo)
      implements WorkerProtocol.NodeCommand, NoSerializationVerificationNeeded {}

  /** How long coordinated shutdown waits for the coordinator to hear that the workers leave. */
  private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(3);

  public static Behavior<WorkerProtocol.NodeCommand> create(
      WorkerSettings settings, TaskCatalog catalog, boolean hostsCoordinator) {
    return create(settings, new NodeTasks(catalog), hostsCoordinator);
  }

  /**
   * The node of {@code tasks}: a pool of this JVM may register task objects there while the node
   * runs.
   */
  public static Behavior<WorkerProtocol.NodeCommand> create(
      WorkerSettings settings, NodeTasks tasks, boolean hostsCoordinator) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> new WorkerNode(context, timers, settings, tasks, hostsCoordinator)));
  }

  /**
   * Sends the node's catalog to {@code coordinator}, in parts under the budget. Whoever changes the
   * node's tasks (the node, or a pool of this JVM that registered a task object) sends it, before
   * anything that needs it: two sends of one actor's messages from one thread arrive in order.
   */
  public static void sendCatalog(
      NodeTasks tasks,
      ActorRef<WorkerProtocol.NodeCommand> node,
      String address,
      WorkerSettings settings,
      ActorRef<CoordinatorProtocol.Command> coordinator) {
    sendCatalog(tasks, node, address, settings, coordinator, coordinator::tell);
  }

  private static void sendCatalog(
      NodeTasks tasks,
      ActorRef<WorkerProtocol.NodeCommand> node,
      String address,
      WorkerSettings settings,
      ActorRef<CoordinatorProtocol.Command> coordinator,
      Consumer<CoordinatorProtocol.NodeCatalog> send) {
    NodeTasks.Snapshot snapshot = tasks.snapshot();
    for (CoordinatorProtocol.NodeCatalog part :
        CatalogMessages.of(
            node, address, snapshot.version(), snapshot.tasks(), settings.budget())) {
      send.accept(part);
    }
  }

  private final TimerScheduler<WorkerProtocol.NodeCommand> timers;
  private final WorkerSettings settings;
  private final NodeTasks tasks;
  private final boolean hostsCoordinator;
  private final Cancellations cancellations = new Cancellations();
  private final Map<ActorRef<WorkerProtocol.Command>, String> workers = new HashMap<>();
  private int started;
  private ActorRef<CoordinatorProtocol.Command> coordinator;
  private boolean leaving;

  private WorkerNode(
      ActorContext<WorkerProtocol.NodeCommand> context,
      TimerScheduler<WorkerProtocol.NodeCommand> timers,
      WorkerSettings settings,
      NodeTasks tasks,
      boolean hostsCoordinator) {
    super(context);
    this.timers = timers;
    this.settings = settings;
    this.tasks = tasks;
    this.hostsCoordinator = hostsCoordinator;
    for (int i = 0; i < settings.perNode(); i++) startWorker();
    context.getLog().info("{} workers started", settings.perNode());
    context
        .getSystem()
        .receptionist()
        .tell(
            Receptionist.subscribe(
                CoordinatorProtocol.SERVICE_KEY,
                context.messageAdapter(Receptionist.Listing.class, CoordinatorsChanged::new)));
    ActorRef<WorkerProtocol.NodeCommand> self = context.getSelf();
    ActorSystem<?> system = context.getSystem();
    CoordinatedShutdown.get(Adapter.toClassic(system))
        .addTask(
            CoordinatedShutdown.PhaseBeforeServiceUnbind(),
            "clusterpool-workers-leave",
            () ->
                AskPattern.<WorkerProtocol.NodeCommand, Done>ask(
                    self, Leave::new, LEAVE_TIMEOUT, system.scheduler()));
  }

  private void startWorker() {
    String name = "worker-" + (++started);
    ActorRef<WorkerProtocol.Command> worker =
        getContext()
            .spawn(
                Worker.create(
                    settings, tasks, getContext().getSelf(), cancellations, hostsCoordinator),
                name,
                DispatcherSelector.fromConfig(CPU_DISPATCHER));
    getContext().watch(worker);
    workers.put(worker, name);
  }

  @Override
  public Receive<WorkerProtocol.NodeCommand> createReceive() {
    return newReceiveBuilder()
        .onMessage(StopJob.class, this::onStopJob)
        .onMessage(StopUnits.class, this::onStopUnits)
        .onMessage(
            ForgetJob.class,
            forget -> {
              cancellations.forgetJob(forget.jobId());
              return this;
            })
        .onMessage(
            ForgetUnits.class,
            forget -> {
              for (Long unitId : forget.unitIds())
                cancellations.forgetUnit(unitId, forget.worker());
              return this;
            })
        .onMessage(CoordinatorsChanged.class, this::onCoordinatorsChanged)
        .onMessage(SendCatalog.class, this::onSendCatalog)
        .onMessage(Leave.class, this::onLeave)
        .onSignal(Terminated.class, this::onWorkerStopped)
        .build();
  }

  private Behavior<WorkerProtocol.NodeCommand> onStopJob(StopJob stop) {
    if (stop.jobId() != null && cancellations.stopJob(stop.jobId())) {
      for (ActorRef<WorkerProtocol.Command> worker : workers.keySet()) worker.tell(stop);
      timers.startSingleTimer(new ForgetJob(stop.jobId()), REMEMBER_CANCELLED);
    }
    return this;
  }

  private Behavior<WorkerProtocol.NodeCommand> onStopUnits(StopUnits stop) {
    if (stop.unitIds() == null) return this;
    List<Long> added = new ArrayList<>();
    for (Long unitId : stop.unitIds()) {
      if (unitId != null && cancellations.stopUnit(unitId, stop.worker())) added.add(unitId);
    }
    if (added.isEmpty()) return this;
    StopUnits forward = new StopUnits(List.copyOf(added), stop.worker());
    for (ActorRef<WorkerProtocol.Command> worker : workers.keySet()) worker.tell(forward);
    getContext()
        .scheduleOnce(
            REMEMBER_CANCELLED,
            getContext().getSelf(),
            new ForgetUnits(forward.unitIds(), forward.worker()));
    return this;
  }

  private Behavior<WorkerProtocol.NodeCommand> onCoordinatorsChanged(CoordinatorsChanged changed) {
    var coordinators = changed.listing().getServiceInstances(CoordinatorProtocol.SERVICE_KEY);
    ActorRef<CoordinatorProtocol.Command> next =
        coordinators.isEmpty() ? null : coordinators.iterator().next();
    if (next != null && !next.equals(coordinator))
      sendCatalog(next); // a new coordinator knows nothing of this node
    coordinator = next;
    return this;
  }

  private Behavior<WorkerProtocol.NodeCommand> onSendCatalog(SendCatalog ask) {
    if (ask.replyTo() != null) sendCatalog(ask.replyTo());
    return this;
  }

  private void sendCatalog(ActorRef<CoordinatorProtocol.Command> to) {
    DirectLinks links = DirectLinks.get(getContext().getSystem());
    sendCatalog(
        tasks,
        getContext().getSelf(),
        getContext().getSystem().address().toString(),
        settings,
        to,
        part -> links.tell(to, part));
  }

  private Behavior<WorkerProtocol.NodeCommand> onLeave(Leave leave) {
    leaving = true;
    if (coordinator != null) {
      String crash =
          JvmExit.calledByOthers()
              .map(caller -> "ended with its JVM, which System.exit called by " + caller + " ended")
              .orElse("");
      DirectLinks links = DirectLinks.get(getContext().getSystem());
      for (ActorRef<WorkerProtocol.Command> worker : workers.keySet())
        links.tell(coordinator, new CoordinatorProtocol.WorkerLeaving(worker, crash));
      if (crash.isEmpty())
        getContext().getLog().info("told the coordinator that {} workers leave", workers.size());
      else
        getContext()
            .getLog()
            .warn("told the coordinator that {} workers {}", workers.size(), crash);
    }
    leave.replyTo().tell(Done.getInstance());
    return this;
  }

  /**
   * A worker died of a bug, not of a task (tasks' failures are caught): replace it, as Pool
   * replaces a dead process.
   */
  private Behavior<WorkerProtocol.NodeCommand> onWorkerStopped(Terminated terminated) {
    String name = workers.remove(terminated.getRef().<WorkerProtocol.Command>unsafeUpcast());
    if (name != null && !leaving) {
      getContext().getLog().warn("{} stopped unexpectedly; starting a new worker", name);
      startWorker();
    }
    return this;
  }
}
