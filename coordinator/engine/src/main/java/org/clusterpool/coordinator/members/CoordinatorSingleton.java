package org.clusterpool.coordinator.members;

import com.typesafe.config.Config;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.clusterpool.coordinator.scheduler.CoordinatorGuardian;
import org.clusterpool.coordinator.scheduler.CoordinatorSettings;
import org.clusterpool.node.NodeOptions;
import org.clusterpool.node.protocol.CoordinatorProtocol;

/**
 * The coordinator is a Cluster Singleton on the coordinator role. Every member that submits work
 * declares it the same way: on a coordinator-role member the singleton may run there, elsewhere
 * this is the proxy only. One declaration, so that the coordinator and its clients never disagree
 * on its name, role or stop message.
 */
final class CoordinatorSingleton {
  private CoordinatorSingleton() {}

  static ActorRef<CoordinatorProtocol.Command> init(ActorSystem<?> system, Config config) {
    return ClusterSingleton.get(system)
        .init(
            SingletonActor.of(
                    CoordinatorGuardian.create(CoordinatorSettings.fromConfig(config)),
                    "coordinator")
                .withStopMessage(CoordinatorGuardian.stopMessage())
                .withSettings(
                    ClusterSingletonSettings.create(system).withRole(NodeOptions.COORDINATOR)));
  }
}
