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

  public WorkerSettings {
    if (perNode < 1)
      throw new IllegalArgumentException(
          "clusterpool.worker.per-node must be at least 1, got " + perNode);
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
        perNode > 0 ? perNode : Runtime.getRuntime().availableProcessors(),
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
