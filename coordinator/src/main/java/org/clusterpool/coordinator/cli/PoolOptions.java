package org.clusterpool.coordinator.cli;

import java.util.concurrent.CompletableFuture;
import org.clusterpool.coordinator.cluster.PoolSession;
import picocli.CommandLine.Option;

/**
 * Where a command's work runs. Embedded (the default): the workers are actors of this JVM. With
 * {@code --nodes N}: N worker JVMs started on this machine for this command, stopped after it.
 */
final class PoolOptions {

  @Option(
      names = {"-w", "--workers"},
      paramLabel = "N",
      description = "Worker actors per node (this JVM, or each --nodes JVM), like Pool(processes=N) (default: one per processor).")
  Integer workers;

  @Option(
      names = "--nodes",
      paramLabel = "N",
      description = "Run on N worker JVMs started on this machine for this command (this JVM coordinates), stopped after it.")
  Integer nodes;

  private CompletableFuture<PoolSession> starting;

  /**
   * Starts the pool in the background, so that it comes up while the command reads its inputs: on a
   * short command the start-up is most of the wait.
   */
  void startEarly() {
    if (starting == null) {
      int count = workers();
      int nodeCount = nodes();
      starting = CompletableFuture.supplyAsync(() -> PoolSession.open(count, nodeCount, "worker-" + ProcessHandle.current().pid()));
    }
  }

  /** The pool, started now or earlier; closing the session stops it (and any JVMs it started). */
  PoolSession open() {
    startEarly();
    try {
      return starting.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** The command failed before it used the pool: stop it. */
  void abandon() {
    if (starting != null) starting.thenAccept(PoolSession::close);
  }

  /** The worker count asked for, or 0 for the default. */
  int workers() {
    if (workers != null && (workers < 1 || workers > 1024)) {
      throw new UsageError("--workers must be between 1 and 1024, got " + workers);
    }
    return workers == null ? 0 : workers;
  }

  /** The worker JVMs asked for, or 0 for the embedded default. */
  int nodes() {
    if (nodes != null && (nodes < 1 || nodes > 64)) throw new UsageError("--nodes must be between 1 and 64, got " + nodes);
    return nodes == null ? 0 : nodes;
  }
}
