package org.clusterpool.node.launcher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.clusterpool.node.NodeOptions;

/**
 * The settings of a cluster whose coordinator JVM started every worker JVM and supervises it
 * ({@code cluster up}, {@code --nodes}, {@code ClusterPool.local}): the coordinator's end is the
 * cluster's end (its worker JVMs watch its process and leave with it), so the cluster is kept on
 * the coordinator's side whatever the number of members on the other, and the worker JVMs wait long
 * for a coordinator that is only frozen.
 *
 * <ul>
 *   <li>The coordinator's member downs by the owner's rule ({@link ClusterDowningProvider}): a
 *       member unreachable for the resolver's stable-after, never itself, however many workers
 *       freeze and however often.
 *   <li>The Split Brain Resolver's majority counts the coordinator-role members only: workers that
 *       freeze, however many, are downed by the coordinator's side (with two or more of them
 *       frozen, the coordinator was the smaller side and downed itself, stopping the cluster); a
 *       side of workers alone downs itself, and the coordinator starts new worker JVMs in its
 *       place. A member that someone starts by hand into such a cluster keeps Pekko's count of all
 *       members.
 *   <li>A worker JVM calls a silent member unreachable only after {@link
 *       SupervisionSettings#workerHeartbeatPause}; the coordinator JVM keeps the cluster's few
 *       seconds and finds a frozen worker as soon as before.
 *   <li>A worker JVM's last shutdown phase is 3 s, not 10: it ends when its owner stops it, and
 *       Pekko 1.2.1's remoting can stall there on a mutual-TLS stream to a JVM that is ending too
 *       (apache/pekko#3247) until that JVM closes its end; its exit deadline ({@code
 *       ExitDeadline}), and the owner that waits for its exit, then wait 3 s for nothing, not 10.
 * </ul>
 */
public final class OwnedCluster {
  private OwnedCluster() {}

  static final String MAJORITY_ROLE = "pekko.cluster.split-brain-resolver.keep-majority.role";
  static final String HEARTBEAT_PAUSE = "pekko.cluster.failure-detector.acceptable-heartbeat-pause";
  static final String LAST_PHASE =
      "pekko.coordinated-shutdown.phases.actor-system-terminate.timeout";

  /** Over the coordinator member's config, unless a system property sets it otherwise. */
  public static Config coordinator() {
    Config owner = ConfigFactory.parseMap(Map.of(ClusterDowningProvider.OWNER, true));
    return System.getProperty(MAJORITY_ROLE) != null
        ? owner
        : owner.withFallback(
            ConfigFactory.parseMap(Map.of(MAJORITY_ROLE, NodeOptions.COORDINATOR)));
  }

  /**
   * The system properties of a supervised worker JVM, under those its spec sets (a cluster's
   * overrides).
   */
  static Map<String, String> worker(SupervisionSettings settings) {
    return Map.of(
        MAJORITY_ROLE,
        NodeOptions.COORDINATOR,
        HEARTBEAT_PAUSE,
        settings.workerHeartbeatPause().toMillis() + "ms",
        LAST_PHASE,
        "3s");
  }
}
