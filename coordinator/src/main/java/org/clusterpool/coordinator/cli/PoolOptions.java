package org.clusterpool.coordinator.cli;

import java.util.concurrent.CompletableFuture;
import org.clusterpool.coordinator.pool.ClusterPool;
import picocli.CommandLine.Option;

/** Where a command's work runs. Embedded (the default): the workers are actors of this JVM. */
final class PoolOptions {

  @Option(
      names = {"-w", "--workers"},
      paramLabel = "N",
      description = "Worker actors in this JVM, like Pool(processes=N) (default: one per processor).")
  Integer workers;

  private CompletableFuture<ClusterPool> starting;

  /**
   * Starts the pool in the background, so that it comes up while the command reads its inputs: on a
   * short command the actor system's start-up is most of the wait.
   */
  void startEarly() {
    if (starting == null) {
      int count = workers();
      starting = CompletableFuture.supplyAsync(() -> ClusterPool.embedded(count));
    }
  }

  /** The pool, started now or earlier. */
  ClusterPool open() {
    startEarly();
    return ClusterPool.await(starting);
  }

  /** The command failed before it used the pool: stop it. */
  void abandon() {
    if (starting != null) starting.thenAccept(ClusterPool::terminate);
  }

  /** The worker count asked for, or 0 for the default. */
  int workers() {
    if (workers != null && (workers < 1 || workers > 1024)) {
      throw new UsageError("--workers must be between 1 and 1024, got " + workers);
    }
    return workers == null ? 0 : workers;
  }
}
