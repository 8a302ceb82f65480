package org.clusterpool.coordinator.cli;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.clusterpool.coordinator.members.CoordinatorNode;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.node.NodeMain;
import org.clusterpool.node.NodeOptions;
import org.clusterpool.node.config.LayeredConfig;
import org.clusterpool.node.task.builtin.Square;
import org.clusterpool.node.tls.ClusterCredentials;
import org.clusterpool.node.tls.Transport;

/**
 * The warm-up's cluster: a coordinator member and a worker member in this one JVM, over loopback
 * and mutual TLS as a local cluster's members speak, and a job across them. A worker JVM and a
 * coordinator JVM load about 4,500 classes that an embedded run never does (remoting, Cluster, TLS,
 * the members' serializers): trained here, they are in the class-data archive too, and every member
 * of a local cluster starts with less work.
 *
 * <p>Bounded: a cluster that has not formed and answered {@link #DEADLINE_SECONDS} after the start
 * is left (and each member then gets a few seconds to stop), and the archive is made from what was
 * loaded.
 */
final class ClusterWarmUp {
  private ClusterWarmUp() {}

  private static final long DEADLINE_SECONDS = 30;
  private static final String LAYER = "local-cluster";

  static void run() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
    try (ClusterCredentials credentials =
        ClusterCredentials.make(Transport.TLS, Optional.empty(), LayeredConfig.load(LAYER))) {
      // port 0: each member binds a free port; the worker joins the one its coordinator got
      CoordinatorNode coordinator =
          CoordinatorNode.start(
              new NodeOptions(LAYER, NodeOptions.COORDINATOR, "127.0.0.1", 0, List.of(), 1, 0)
                  .withTransport(credentials.issue("coordinator")));
      ActorSystem<Void> worker = null;
      try {
        worker =
            NodeMain.start(
                new NodeOptions(
                        LAYER,
                        NodeOptions.WORKER,
                        "127.0.0.1",
                        0,
                        List.of(coordinator.address()),
                        1,
                        0)
                    .withTransport(credentials.issue("worker-node-1")));
        ClusterPool pool = ClusterPool.connect(coordinator.system(), coordinator.coordinator(), 1);
        pool.mapAsync(new Square(), LongStream.rangeClosed(1, 2000).boxed().toList())
            .toCompletableFuture()
            .get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        pool.applyAsync(new Square(), 3L)
            .toCompletableFuture()
            .get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      } finally {
        if (worker != null) stop(worker);
        stop(coordinator.system());
      }
    }
  }

  /**
   * Stops the member, waiting a little: a member's TLS streams can stall its shutdown, and the
   * warm-up's JVM exits whether it stopped or not.
   */
  private static void stop(ActorSystem<?> system) {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // left to the JVM's exit
    }
  }
}
