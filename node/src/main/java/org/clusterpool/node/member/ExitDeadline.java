package org.clusterpool.node.member;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node process that is going exits, even when its actor system does not end. Pekko 1.2.1's Artery
 * waits without a deadline for its streams to complete when the system terminates
 * (apache/pekko#3247, bounded only in a later release), and a mutual-TLS stream to a member that
 * went at the same moment can stall there: every phase of the coordinated shutdown ends, yet the
 * system never terminates and the JVM would linger for ever. Once the last phase has begun, this
 * gives the system {@code deadline} to end, then halts the JVM with a line that names the cause.
 */
public final class ExitDeadline {
  private static final Logger log = LoggerFactory.getLogger(ExitDeadline.class);

  private final CompletionStage<?> terminated;
  private final Duration deadline;
  private final Consumer<Integer> halt;

  ExitDeadline(CompletionStage<?> terminated, Duration deadline, Consumer<Integer> halt) {
    this.terminated = terminated;
    this.deadline = deadline;
    this.halt = halt;
  }

  /**
   * In a node process: when the coordinated shutdown reaches its last phase, the JVM exits within
   * the time that phase is given and {@code grace} more, ended or not.
   */
  public static void arm(ActorSystem<?> system, Duration grace) {
    Duration terminatePhase =
        system
            .settings()
            .config()
            .getDuration("pekko.coordinated-shutdown.phases.actor-system-terminate.timeout");
    ExitDeadline exit =
        new ExitDeadline(
            system.getWhenTerminated(),
            terminatePhase.plus(grace),
            status -> Runtime.getRuntime().halt(status));
    CoordinatedShutdown.get(Adapter.toClassic(system))
        .addTask(
            CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
            "clusterpool-exit-deadline",
            () -> {
              exit.start();
              return CompletableFuture.completedFuture(org.apache.pekko.Done.getInstance());
            });
  }

  /**
   * Starts the clock; the JVM halts with status 0 (the node was going anyway) if the system has not
   * ended by then.
   */
  void start() {
    CompletableFuture<Object> ended =
        new CompletableFuture<>(); // the system's own future is not ours to time out
    terminated.whenComplete((done, failure) -> ended.complete(done));
    ended
        .orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (done, failure) -> {
              if (failure == null) return;
              log.error(
                  "the actor system did not end within {} s of its last shutdown phase (Pekko's"
                      + " remoting shutdown stalled, apache/pekko#3247): the node process exits"
                      + " anyway",
                  deadline.toSeconds());
              halt.accept(0);
            });
  }
}
