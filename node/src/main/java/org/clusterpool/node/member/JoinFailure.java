package org.clusterpool.node.member;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * Why a member's actor system ended before it ever joined its cluster: no seed let it in within
 * {@code pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes}, or the cluster found its
 * configuration incompatible. Pekko says what failed in warnings, one per attempt and without end
 * unless that bound is set; a node process ends with this one line and a non-zero exit instead of
 * trying for ever.
 */
public final class JoinFailure {
  private JoinFailure() {}

  private static final AtomicBoolean REPORTED = new AtomicBoolean();

  /** The line that says why the member never joined, if that is how its system ended. */
  public static Optional<String> of(ActorSystem<?> system) {
    Optional<CoordinatedShutdown.Reason> reason =
        CoordinatedShutdown.get(Adapter.toClassic(system)).getShutdownReason();
    if (reason.isEmpty()) return Optional.empty();
    Config config = system.settings().config();
    if (reason.get() == CoordinatedShutdown.clusterJoinUnsuccessfulReason())
      return Optional.of(
          "this member never joined its cluster: "
              + seeds(config)
              + " did not let it in within "
              + config
                  .getDuration("pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes")
                  .toSeconds()
              + " s (pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes): nothing listens"
              + " there, or it speaks another transport than this member's "
              + config.getString("pekko.remote.artery.transport")
              + ", or trusts another CA; the warnings above say which");
    if (reason.get() == CoordinatedShutdown.incompatibleConfigurationDetectedReason())
      return Optional.of(
          "the cluster at "
              + seeds(config)
              + " refused this member: its configuration is not compatible with the cluster's"
              + " (the warnings above name the setting)");
    return Optional.empty();
  }

  /**
   * The exit status of a node process whose actor system has ended: 1, with the line of {@link #of}
   * on standard error (once, whoever asks first), when it never joined; else 0.
   */
  public static int exitStatus(ActorSystem<?> system) {
    Optional<String> failure = of(system);
    if (failure.isEmpty()) return 0;
    if (REPORTED.compareAndSet(false, true)) {
      System.err.println("clusterpool: " + failure.get());
      System.err.flush();
    }
    return 1;
  }

  private static String seeds(Config config) {
    List<String> seeds = config.getStringList("pekko.cluster.seed-nodes");
    return seeds.isEmpty() ? "the seed nodes it found" : String.join(", ", seeds);
  }
}
