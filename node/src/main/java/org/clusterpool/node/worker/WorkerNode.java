package org.clusterpool.node.worker;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.clusterpool.node.task.TaskCatalog;
import org.clusterpool.node.wire.CborSerializable;

/**
 * The worker side of one node: starts its K workers on the cpu dispatcher, starts a new one when one
 * dies, and takes the coordinator's cancellations. A cancelled job is written into a set that the
 * workers of this node read between inputs, because a worker busy with a chunk reads no messages.
 */
public final class WorkerNode extends AbstractBehavior<WorkerNode.Command> {

  public static final String CPU_DISPATCHER = "clusterpool.cpu-dispatcher";

  /** How long a cancelled job is remembered: longer than any of its chunks can wait in a mailbox. */
  private static final Duration REMEMBER_CANCELLED = Duration.ofHours(1);

  public sealed interface Command permits CancelJob, ForgetCancelled {}

  public record CancelJob(String jobId) implements Command, CborSerializable {}

  private record ForgetCancelled(String jobId) implements Command, NoSerializationVerificationNeeded {}

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

  /** A worker died of a bug, not of a task (tasks' failures are caught): replace it, as Pool replaces a dead process. */
  private Behavior<Command> onWorkerStopped(Terminated terminated) {
    String name = workers.remove(terminated.getRef().<Worker.Command>unsafeUpcast());
    if (name != null) {
      getContext().getLog().warn("{} stopped unexpectedly; starting a new worker", name);
      startWorker();
    }
    return this;
  }
}
