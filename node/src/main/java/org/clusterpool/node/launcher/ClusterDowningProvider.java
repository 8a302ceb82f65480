package org.clusterpool.node.launcher;

import com.typesafe.config.Config;
import java.time.Duration;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.cluster.DowningProvider;
import org.apache.pekko.cluster.sbr.SplitBrainResolverProvider;
import scala.Option;
import scala.concurrent.duration.FiniteDuration;

/**
 * Every clusterpool member's downing ({@code pekko.cluster.downing-provider-class}, one class for
 * all: Pekko refuses a member whose downing provider differs from the cluster's). Pekko's Split
 * Brain Resolver, but for the coordinator's member of a cluster whose coordinator JVM started every
 * worker JVM ({@link OwnedCluster}: {@code clusterpool.downing.owner = on}), which downs by the
 * owner's rule ({@link OwnedDowning}): a member unreachable for the resolver's stable-after, never
 * itself.
 *
 * <p>Why not the resolver there: its first rule, whatever its strategy, downs both ends of an
 * inconsistent observation ("indirectly connected" members). A worker JVM frozen for a few seconds
 * (a long GC pause, {@code kill -STOP}) is unreachable to the coordinator, which finds it in
 * seconds, and reachable to the other workers, which wait a minute for a silent member ({@link
 * SupervisionSettings#workerHeartbeatPause}); when it woke and saw the gossip before the
 * coordinator saw it again, the resolver downed the coordinator with it, and the whole cluster
 * stopped. The cluster's end is the coordinator's there anyway: its worker JVMs watch its process.
 */
public final class ClusterDowningProvider extends DowningProvider {
  /** Set in the coordinator member's config of a cluster it owns. */
  static final String OWNER = "clusterpool.downing.owner";

  private final ActorSystem system;
  private final DowningProvider resolver;

  public ClusterDowningProvider(ActorSystem system) {
    this.system = system;
    this.resolver = new SplitBrainResolverProvider(system);
  }

  @Override
  public FiniteDuration downRemovalMargin() {
    return resolver.downRemovalMargin();
  }

  @Override
  public Option<Props> downingActorProps() {
    Config config = system.settings().config();
    if (!config.hasPath(OWNER) || !config.getBoolean(OWNER)) return resolver.downingActorProps();
    Duration stable = config.getDuration("pekko.cluster.split-brain-resolver.stable-after");
    return Option.apply(Props.create(OwnedDowning.class, () -> new OwnedDowning(stable)));
  }
}
