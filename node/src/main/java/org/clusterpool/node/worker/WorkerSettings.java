package org.clusterpool.node.worker;

import com.typesafe.config.Config;

/**
 * {@code clusterpool.worker} from the config, with {@code per-node = 0} resolved to the processor count.
 * {@code messageBytes}: results are sent in messages of about this size; {@code maxResultBytes}: the
 * results of one chunk must fit in one message of the transport (unbounded when nothing crosses a JVM).
 */
public record WorkerSettings(int perNode, int prefetch, int maxAsyncCalls, long messageBytes, long maxResultBytes) {

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
    boolean remote = !config.getString("pekko.actor.provider").equals("local");
    long frame = config.getBytes("pekko.remote.artery.advanced.maximum-frame-size");
    return new WorkerSettings(
        perNode > 0 ? perNode : Runtime.getRuntime().availableProcessors(),
        c.getInt("prefetch"),
        c.getInt("max-async-calls"),
        config.getBytes("clusterpool.chunk.max-bytes"),
        remote ? frame - 64 * 1024 : Long.MAX_VALUE);
  }

  public WorkerSettings withPerNode(int workers) {
    return new WorkerSettings(workers, prefetch, maxAsyncCalls, messageBytes, maxResultBytes);
  }
}
