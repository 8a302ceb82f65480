package org.clusterpool.coordinator.cli;

import org.clusterpool.coordinator.pool.ClusterPool;
import picocli.CommandLine.Option;

/** Where a command's work runs. Embedded (the default): the workers are actors of this JVM. */
final class PoolOptions {

  @Option(
      names = {"-w", "--workers"},
      paramLabel = "N",
      description = "Worker actors in this JVM, like Pool(processes=N) (default: one per processor).")
  int workers;

  ClusterPool open() {
    if (workers < 0) throw new UsageError("--workers must be at least 1, got " + workers);
    return ClusterPool.embedded(workers);
  }
}
