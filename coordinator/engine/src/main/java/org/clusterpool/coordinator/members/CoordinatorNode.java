package org.clusterpool.coordinator.members;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.clusterpool.node.NodeMain;
import org.clusterpool.node.NodeOptions;
import org.clusterpool.node.bootstrap.Bootstrap;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.member.MemberReporter;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.tls.TransportCheck;
import org.slf4j.LoggerFactory;

/**
 * A member of role {@code coordinator}: the coordinator actor runs as a Cluster Singleton on the
 * oldest such member, so that a second one takes over when it goes; every coordinator-role member
 * reaches it through the singleton proxy. {@code clusterpool coordinator}, {@code --nodes} and the
 * tests start it here.
 */
public final class CoordinatorNode implements AutoCloseable {
  private final ActorSystem<Void> system;
  private final ActorRef<CoordinatorProtocol.Command> coordinator;

  private CoordinatorNode(
      ActorSystem<Void> system, ActorRef<CoordinatorProtocol.Command> coordinator) {
    this.system = system;
    this.coordinator = coordinator;
  }

  /**
   * Starts the member; with no seed nodes, it founds a cluster of its own, unless the config says
   * to find the cluster by Cluster Bootstrap ({@code clusterpool.bootstrap.enabled}): then the
   * bootstrap decides who founds it, and a coordinator that joined itself would only make a second
   * cluster beside the pods' one. Its tasks (those its HTTP API reads inputs for) are loaded first:
   * tasks that cannot be loaded are refused before anything starts, and so is a transport it cannot
   * use (mutual TLS without a certificate of the cluster's CA).
   */
  public static CoordinatorNode start(NodeOptions options) {
    return start(options, ConfigFactory.empty());
  }

  /**
   * As {@link #start(NodeOptions)}, with {@code overrides} over the member's config (a pool's own
   * settings).
   */
  public static CoordinatorNode start(NodeOptions options, Config overrides) {
    Config config = overrides.withFallback(options.config()).resolve();
    TaskCatalog.forConfig(config);
    LoggerFactory.getILoggerFactory(); // logging starts before actor threads log at once
    TransportCheck.atStart(config);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), NodeMain.SYSTEM_NAME, config);
    Cluster cluster = Cluster.get(system);
    if (Bootstrap.enabled(config)) {
      Bootstrap.start(system);
    } else if (options.seedNodes().isEmpty()) {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
    ActorRef<CoordinatorProtocol.Command> proxy = CoordinatorSingleton.init(system, config);
    MemberReporter.start(system);
    NodeMain.leaveWithParent(system, options.parentPid());
    return new CoordinatorNode(system, proxy);
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /**
   * The singleton proxy: messages reach the coordinator wherever it runs, buffered while it moves.
   */
  public ActorRef<CoordinatorProtocol.Command> coordinator() {
    return coordinator;
  }

  /** {@code pekko://clusterpool@127.0.0.1:25520}: what other members give as their seed node. */
  public String address() {
    return Cluster.get(system).selfMember().address().toString();
  }

  /** Leaves the cluster and stops. */
  @Override
  public void close() {
    system.terminate();
    system
        .getWhenTerminated()
        .toCompletableFuture()
        .orTimeout(Duration.ofSeconds(30).toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
        .exceptionally(e -> null)
        .join();
  }
}
