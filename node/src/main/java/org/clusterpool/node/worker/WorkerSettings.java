package org.clusterpool.node.worker;

import com.typesafe.config.Config;
import java.time.Duration;
import org.clusterpool.node.protocol.MessageBudget;

/**
 * {@code clusterpool.worker} from the config, with {@code per-node = 0} resolved to the processor
 * count. {@code budget}: results go in messages under it. {@code reportInterval} to {@code
 * maxReportInterval}: how often an idle worker tells the coordinator what it holds, doubling while
 * nothing happens.
 */
public record WorkerSettings(
    int perNode,
    int prefetch,
    int maxAsyncCalls,
    MessageBudget budget,
    Duration reportInterval,
    Duration maxReportInterval) {

  /**
   * The most worker actors a node may have, wherever the count comes from (the config, {@code
   * ClusterPool.embedded(n)}, the builder, {@code --workers}): each is a thread, and a count typed
   * with a zero too many (100000) took the machine's thread limit with it. A thousand is past
   * anything a machine's processors or an async task's calls need (a worker holds thousands of
   * async calls on its own).
   */
  public static final int MAX_PER_NODE = 1024;

  /** {@code what must be between 1 and 1024, got n}: the one refusal of a worker count. */
  public static String outOfRange(String what, long workers) {
    return what + " must be between 1 and " + MAX_PER_NODE + ", got " + workers;
  }

  public WorkerSettings {
    if (perNode < 1 || perNode > MAX_PER_NODE)
      throw new IllegalArgumentException(
          outOfRange("clusterpool.worker.per-node", perNode)
              + " (0 in the config: one per processor)");
    if (prefetch < 1)
      throw new IllegalArgumentException(
          "clusterpool.worker.prefetch must be at least 1, got " + prefetch);
    if (maxAsyncCalls < 1) {
      throw new IllegalArgumentException(
          "clusterpool.worker.max-async-calls must be at least 1, got " + maxAsyncCalls);
    }
    if (reportInterval.isNegative()
        || reportInterval.isZero()
        || maxReportInterval.compareTo(reportInterval) < 0) {
      throw new IllegalArgumentException(
          "clusterpool.worker.report-interval must be positive and at most report-interval-max");
    }
  }

  public static WorkerSettings fromConfig(Config config) {
    Config c = config.getConfig("clusterpool.worker");
    int perNode = c.getInt("per-node");
    return new WorkerSettings(
        perNode != 0 ? perNode : Math.min(MAX_PER_NODE, Runtime.getRuntime().availableProcessors()),
        c.getInt("prefetch"),
        c.getInt("max-async-calls"),
        MessageBudget.fromConfig(config),
        c.getDuration("report-interval"),
        c.getDuration("report-interval-max"));
  }

  public WorkerSettings withPerNode(int workers) {
    return new WorkerSettings(
        workers, prefetch, maxAsyncCalls, budget, reportInterval, maxReportInterval);
  }
}
