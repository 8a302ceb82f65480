package org.clusterpool.node.launcher;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How a {@link NodeSupervisor} restarts the worker JVMs it keeps running, read once from {@code
 * clusterpool.supervision} (config/supervision.conf).
 *
 * @param backoffMin the delay before the first restart of a node that had run a while
 * @param backoffMax the longest delay: a node that keeps dying is tried this often, never more
 * @param stableAfter a node that ran this long before it exited starts again from {@code
 *     backoffMin}
 * @param workerHeartbeatPause how long a supervised worker JVM's failure detector waits for a
 *     silent member (its {@code acceptable-heartbeat-pause})
 * @param directLinks whether the worker JVMs exchange their work with this JVM over a direct link
 *     ({@link org.clusterpool.node.directlink.DirectLinks})
 * @param socketFolder the private folder of the link's socket ({@code clusterpool.pipe.direct-dir};
 *     empty: this JVM's own)
 */
public record SupervisionSettings(
    Duration backoffMin,
    Duration backoffMax,
    Duration stableAfter,
    Duration workerHeartbeatPause,
    boolean directLinks,
    String socketFolder) {

  /** Without direct links: the worker JVMs talk through the cluster alone. */
  public SupervisionSettings(
      Duration backoffMin,
      Duration backoffMax,
      Duration stableAfter,
      Duration workerHeartbeatPause) {
    this(backoffMin, backoffMax, stableAfter, workerHeartbeatPause, false, "");
  }

  public SupervisionSettings {
    if (backoffMin.isNegative() || backoffMin.isZero()) {
      throw new IllegalArgumentException(
          "clusterpool.supervision.backoff-min must be positive, got " + backoffMin);
    }
    if (backoffMax.compareTo(backoffMin) < 0) {
      throw new IllegalArgumentException(
          "clusterpool.supervision.backoff-max ("
              + backoffMax
              + ") must be at least backoff-min ("
              + backoffMin
              + ")");
    }
    if (stableAfter.isNegative()) {
      throw new IllegalArgumentException(
          "clusterpool.supervision.stable-after must not be negative, got " + stableAfter);
    }
    if (workerHeartbeatPause.isNegative() || workerHeartbeatPause.isZero()) {
      throw new IllegalArgumentException(
          "clusterpool.supervision.worker-heartbeat-pause must be positive, got "
              + workerHeartbeatPause);
    }
  }

  public static SupervisionSettings fromConfig(Config config) {
    Config c = config.getConfig("clusterpool.supervision");
    return new SupervisionSettings(
        c.getDuration("backoff-min"),
        c.getDuration("backoff-max"),
        c.getDuration("stable-after"),
        c.getDuration("worker-heartbeat-pause"),
        c.getBoolean("direct-links"),
        config.getString("clusterpool.pipe.direct-dir"));
  }
}
