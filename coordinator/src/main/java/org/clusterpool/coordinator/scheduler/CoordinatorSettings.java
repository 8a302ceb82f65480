package org.clusterpool.coordinator.scheduler;

import com.typesafe.config.Config;
import java.time.Duration;

/** {@code clusterpool.chunk} and {@code clusterpool.job} as the coordinator uses them. */
public record CoordinatorSettings(
    Duration chunkTimeout,
    int maxAttempts,
    int maxCrashes,
    Duration quarantinePatience,
    long batchTargetNanos,
    int batchMaxChunks,
    Duration deadlineCheckInterval) {

  public CoordinatorSettings {
    if (maxAttempts < 1) throw new IllegalArgumentException("clusterpool.chunk.max-attempts must be at least 1");
    if (maxCrashes < 1) throw new IllegalArgumentException("clusterpool.chunk.max-crashes must be at least 1");
    if (quarantinePatience.isNegative()) {
      throw new IllegalArgumentException("clusterpool.chunk.quarantine-patience must not be negative: " + quarantinePatience);
    }
    if (batchMaxChunks < 1) throw new IllegalArgumentException("clusterpool.chunk.batch-max-chunks must be at least 1");
  }

  public static CoordinatorSettings fromConfig(Config config) {
    Config chunk = config.getConfig("clusterpool.chunk");
    Config job = config.getConfig("clusterpool.job");
    return new CoordinatorSettings(
        chunk.getDuration("timeout"),
        chunk.getInt("max-attempts"),
        chunk.getInt("max-crashes"),
        chunk.getDuration("quarantine-patience"),
        chunk.getDuration("batch-target").toNanos(),
        chunk.getInt("batch-max-chunks"),
        job.getDuration("deadline-check-interval"));
  }
}
