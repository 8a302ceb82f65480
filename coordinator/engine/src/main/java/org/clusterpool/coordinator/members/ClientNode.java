package org.clusterpool.coordinator.members;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.node.NodeMain;
import org.clusterpool.node.config.LayeredConfig;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.tls.MemberTransport;
import org.clusterpool.node.tls.TransportCheck;

/**
 * A member of role {@code client}: neither coordinator nor worker, it reaches the coordinator
 * singleton through its proxy, wherever the singleton runs and wherever it moves. A program on its
 * own JVM that submits to a cluster by the full protocol (streaming, backpressure, its chunks sent
 * again to a new coordinator) is one of these.
 */
public final class ClientNode implements AutoCloseable {
  public static final String ROLE = "client";

  private final ActorSystem<Void> system;
  private final ActorRef<CoordinatorProtocol.Command> coordinator;

  private ClientNode(ActorSystem<Void> system, ActorRef<CoordinatorProtocol.Command> coordinator) {
    this.system = system;
    this.coordinator = coordinator;
  }

  /**
   * Joins the cluster of {@code seeds} (members to join, any live one will do) from {@code port}
   * (0: any), with the transport its config says (its certificate given as system properties, say).
   */
  public static ClientNode start(String configResource, List<String> seeds, int port) {
    return start(LayeredConfig.load(configResource), seeds, port);
  }

  /**
   * As {@link #start(String, List, int)}, with this transport: a certificate of the cluster's CA,
   * or plain TCP.
   */
  public static ClientNode start(
      String configResource, List<String> seeds, int port, MemberTransport transport) {
    return start(transport.applyTo(LayeredConfig.load(configResource)), seeds, port);
  }

  private static ClientNode start(Config base, List<String> seeds, int port) {
    Config config =
        base.withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(List.of(ROLE)))
            .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(port))
            .withValue(
                "pekko.cluster.seed-nodes",
                ConfigValueFactory.fromIterable(new ArrayList<>(seeds)));
    TransportCheck.atStart(config);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), NodeMain.SYSTEM_NAME, config);
    // on a member without the coordinator role this is the proxy only: the singleton runs on a
    // coordinator-role member
    ActorRef<CoordinatorProtocol.Command> proxy = CoordinatorSingleton.init(system, config);
    return new ClientNode(system, proxy);
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /** A pool that submits through this member; closing it leaves the cluster as it is. */
  public ClusterPool pool(int workerSlotsHint) {
    return ClusterPool.connect(system, coordinator, workerSlotsHint);
  }

  @Override
  public void close() {
    system.terminate();
    system
        .getWhenTerminated()
        .toCompletableFuture()
        .orTimeout(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS)
        .exceptionally(e -> null)
        .join();
  }
}
