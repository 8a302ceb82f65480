package org.clusterpool.node.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.dispatch.ExecutionContexts;
import org.clusterpool.node.task.TaskContext;
import scala.concurrent.ExecutionContextExecutor;

/**
 * The {@link TaskContext} a worker hands to its tasks. A cpu unit reuses one context and moves its
 * index along; every async call gets its own, so that cancelling the call cancels exactly its
 * timers.
 */
final class WorkerContext implements NodeTaskContext {
  /** Timers complete their future right on the scheduler's thread: completing is all they do. */
  private static final ExecutionContextExecutor ON_TIMER_THREAD =
      ExecutionContexts.fromExecutor(Runnable::run);

  private final String workerName;
  private final String nodeAddress;
  private final long pid;
  private final boolean hostsCoordinator;
  private final Cancellations cancellations;
  private final Scheduler scheduler;
  private final ActorSystem<?> system;
  private final Map<String, Long> globals;
  private final String jobId;
  private final long unitId;
  private long inputIndex;
  private boolean callCancelled;
  private List<CompletableFuture<?>> waits;

  WorkerContext(
      String workerName,
      String nodeAddress,
      long pid,
      boolean hostsCoordinator,
      Cancellations cancellations,
      ActorSystem<?> system,
      Map<String, Long> globals,
      String jobId,
      long unitId,
      long inputIndex) {
    this.workerName = workerName;
    this.nodeAddress = nodeAddress;
    this.pid = pid;
    this.hostsCoordinator = hostsCoordinator;
    this.cancellations = cancellations;
    this.scheduler = system.scheduler();
    this.system = system;
    this.globals = globals;
    this.jobId = jobId;
    this.unitId = unitId;
    this.inputIndex = inputIndex;
  }

  void moveTo(long index) {
    this.inputIndex = index;
  }

  @Override
  public String workerName() {
    return workerName;
  }

  @Override
  public String nodeAddress() {
    return nodeAddress;
  }

  @Override
  public long pid() {
    return pid;
  }

  @Override
  public String jobId() {
    return jobId;
  }

  @Override
  public long inputIndex() {
    return inputIndex;
  }

  @Override
  public boolean isCancelled() {
    return callCancelled || cancellations.stopped(jobId, unitId, workerName);
  }

  @Override
  public boolean hostsCoordinator() {
    return hostsCoordinator;
  }

  @Override
  public ActorSystem<?> system() {
    return system;
  }

  /**
   * The worker's own map: every context of one worker hands out the same one, and no other
   * worker's.
   */
  @Override
  public Map<String, Long> globals() {
    return globals;
  }

  @Override
  public synchronized CompletableFuture<Void> sleep(Duration delay) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (callCancelled) {
      done.cancel(false);
      return done;
    }
    Cancellable timer = scheduler.scheduleOnce(delay, () -> done.complete(null), ON_TIMER_THREAD);
    done.whenComplete(
        (ok, error) -> {
          if (done.isCancelled()) timer.cancel();
        });
    if (waits == null) waits = new ArrayList<>(1);
    waits.add(done);
    return done;
  }

  /** Cancels the call: its pending waits are cancelled, and their timers with them. */
  synchronized void cancel() {
    callCancelled = true;
    if (waits != null) {
      for (CompletableFuture<?> wait : waits) wait.cancel(false);
      waits = null;
    }
  }
}
