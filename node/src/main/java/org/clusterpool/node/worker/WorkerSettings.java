package org.clusterpool.node.worker;

import com.typesafe.config.Config;

/** {@code clusterpool.worker} from the config, with {@code per-node = 0} resolved to the processor count. */
public record WorkerSettings(int perNode, int prefetch, int maxAsyncCalls) {

  public WorkerSettings {
    if (perNode < 1) throw new IllegalArgumentException("clusterpool.worker.per-node must be at least 1, got " + perNode);
    if (prefetch < 1) throw new IllegalArgumentException("clusterpool.worker.prefetch must be at least 1, got " + prefetch);
    if (maxAsyncCalls < 1) {
      throw new IllegalArgumentException("clusterpool.worker.max-async-calls must be at least 1, got " + maxAsyncCalls);
    }
  }

  public static WorkerSettings fromConfig(Config config) {
    Config c = config.getConfig("clusterpool.worker");
    int perNode = c.getInt("per-node");
    return new WorkerSettings(
        perNode > 0 ? perNode : Runtime.getRuntime().availableProcessors(),
        c.getInt("prefetch"),
        c.getInt("max-async-calls"));
  }

  public WorkerSettings withPerNode(int workers) {
    return new WorkerSettings(workers, prefetch, maxAsyncCalls);
  }
}
