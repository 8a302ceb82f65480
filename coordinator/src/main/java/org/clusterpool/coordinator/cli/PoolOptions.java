package org.clusterpool.coordinator.cli;

import org.clusterpool.coordinator.pool.ClusterPool;
import picocli.CommandLine.Option;

/** Where a command's work runs. Embedded (the default): the workers are actors of this JVM. */
final class PoolOptions {

  @Option(
      names = {"-w", "--workers"},
      paramLabel = "N",
      description = "Worker actors in this JVM, like Pool(processes=N) (default: one per processor).")
  Integer workers;

  ClusterPool open() {
    return ClusterPool.embedded(workers());
  }

  /** The worker count asked for, or 0 for the default. */
  int workers() {
    if (workers != null && (workers < 1 || workers > 1024)) {
      throw new UsageError("--workers must be between 1 and 1024, got " + workers);
    }
    return workers == null ? 0 : workers;
  }
}
