package org.clusterpool.node.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.clusterpool.node.config.LayeredConfig;
import org.clusterpool.node.tls.ClusterCredentials;
import org.clusterpool.node.tls.Transport;

/**
 * Cluster members of one test JVM: actor systems with addresses of their own on loopback, speaking
 * mutual TLS with certificates of one throw-away CA, as the members of a local cluster do, every
 * message through the real serializer.
 */
public final class TestMembers implements AutoCloseable {
  private static final String SETTINGS =
      """
      pekko.remote.artery.canonical.port = 0
      pekko.actor.serialize-messages = on
      pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
      """;

  private final String systemName;
  private final ClusterCredentials credentials =
      ClusterCredentials.make(Transport.TLS, Optional.empty(), LayeredConfig.load("local-cluster"));
  private final AtomicInteger names = new AtomicInteger();
  private final List<ActorSystem<Void>> started = new CopyOnWriteArrayList<>();

  public TestMembers(String systemName) {
    this.systemName = systemName;
  }

  /** A new member, not joined yet. */
  public ActorSystem<Void> start() {
    Config config =
        credentials
            .issue("member-" + names.incrementAndGet())
            .applyTo(
                ConfigFactory.parseString(SETTINGS)
                    .withFallback(LayeredConfig.load("local-cluster")));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), systemName, config);
    started.add(system);
    return system;
  }

  /** A new member of the cluster of {@code seed} (null: a cluster of its own), once it is up. */
  public ActorSystem<Void> member(ActorSystem<?> seed) throws InterruptedException {
    ActorSystem<Void> system = start();
    join(system, seed);
    return system;
  }

  /** {@code system} joins the cluster of {@code seed} (null: its own); returns once it is up. */
  public static void join(ActorSystem<?> system, ActorSystem<?> seed) throws InterruptedException {
    Cluster.get(system).manager().tell(Join.create((seed == null ? system : seed).address()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (Cluster.get(system).selfMember().status() != MemberStatus.up()) {
      if (System.nanoTime() > deadline)
        throw new AssertionError(system.address() + " did not join in 30 s");
      Thread.sleep(20);
    }
  }

  /**
   * Ends every member, all at once, waiting 30 s at most in all: Pekko 1.2.1 may never finish
   * terminating a member whose mutual-TLS streams stall (apache/pekko#3247); the tests are done
   * then, and the fork's exit ends it.
   */
  @Override
  public void close() {
    for (ActorSystem<?> system : started) system.terminate();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try {
      for (ActorSystem<?> system : started) {
        try {
          system
              .getWhenTerminated()
              .toCompletableFuture()
              .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          System.err.println(system.address() + " did not end in time (apache/pekko#3247)");
        } catch (InterruptedException | ExecutionException e) {
          throw new IllegalStateException(e);
        }
      }
    } finally {
      credentials.close();
    }
  }
}
