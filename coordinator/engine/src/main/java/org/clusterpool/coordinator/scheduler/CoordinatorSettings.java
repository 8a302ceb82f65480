package org.clusterpool.coordinator.scheduler;

import com.typesafe.config.Config;
import java.time.Duration;
import org.clusterpool.node.protocol.MessageBudget;

/**
 * {@code clusterpool.chunk}, {@code clusterpool.job} and {@code clusterpool.message} as the
 * coordinator uses them.
 *
 * @param timeoutMax a chunk's deadline at most, and while its job's cost is unknown ({@code
 *     clusterpool.chunk.timeout})
 * @param timeoutMin a chunk's deadline at least, however cheap its job ({@code timeout-min})
 * @param timeoutFactor a chunk's deadline, in multiples of its measured cost ({@code
 *     timeout-factor})
 */
public record CoordinatorSettings(
    Duration timeoutMax,
    Duration timeoutMin,
    double timeoutFactor,
    int maxAttempts,
    int maxCrashes,
    Duration quarantinePatience,
    long batchTargetNanos,
    int batchMaxChunks,
    Duration deadlineCheckInterval,
    Duration noWorkersTimeout,
    MessageBudget budget) {

  public CoordinatorSettings {
    if (maxAttempts < 1)
      throw new IllegalArgumentException("clusterpool.chunk.max-attempts must be at least 1");
    if (maxCrashes < 1)
      throw new IllegalArgumentException("clusterpool.chunk.max-crashes must be at least 1");
    if (quarantinePatience.isNegative()) {
      throw new IllegalArgumentException(
          "clusterpool.chunk.quarantine-patience must not be negative: " + quarantinePatience);
    }
    if (batchMaxChunks < 1)
      throw new IllegalArgumentException("clusterpool.chunk.batch-max-chunks must be at least 1");
    if (timeoutMin.isNegative() || timeoutMin.isZero() || timeoutMax.compareTo(timeoutMin) < 0) {
      throw new IllegalArgumentException(
          "clusterpool.chunk.timeout-min must be positive and at most clusterpool.chunk.timeout ("
              + timeoutMin
              + ", "
              + timeoutMax
              + ")");
    }
    if (!(timeoutFactor >= 1))
      throw new IllegalArgumentException("clusterpool.chunk.timeout-factor must be at least 1");
    if (noWorkersTimeout.isNegative() || noWorkersTimeout.isZero()) {
      throw new IllegalArgumentException(
          "clusterpool.job.no-workers-timeout must be positive: " + noWorkersTimeout);
    }
  }

  public static CoordinatorSettings fromConfig(Config config) {
    Config chunk = config.getConfig("clusterpool.chunk");
    Config job = config.getConfig("clusterpool.job");
    return new CoordinatorSettings(
        chunk.getDuration("timeout"),
        chunk.getDuration("timeout-min"),
        chunk.getDouble("timeout-factor"),
        chunk.getInt("max-attempts"),
        chunk.getInt("max-crashes"),
        chunk.getDuration("quarantine-patience"),
        chunk.getDuration("batch-target").toNanos(),
        chunk.getInt("batch-max-chunks"),
        job.getDuration("deadline-check-interval"),
        job.getDuration("no-workers-timeout"),
        MessageBudget.fromConfig(config));
  }

  /**
   * How long a unit may take from its sending, given its job's cost per input: its cost on a worker
   * that has {@code batchesAhead} batches before it, times the factor, doubled for each deadline it
   * already passed, between the floor and the ceiling; the ceiling while the cost is unknown.
   */
  long deadlineNanos(double estimateNanos, int batchesAhead, int timeouts) {
    if (estimateNanos <= 0) return timeoutMax.toNanos();
    double nanos =
        timeoutFactor * estimateNanos * (1 + batchesAhead) * Math.pow(2, Math.min(timeouts, 20));
    return (long) Math.max(timeoutMin.toNanos(), Math.min(timeoutMax.toNanos(), nanos));
  }
}
