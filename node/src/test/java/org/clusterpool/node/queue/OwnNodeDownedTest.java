package org.clusterpool.node.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Leave;
import org.clusterpool.node.handle.OwnNode;
import org.clusterpool.node.task.ValueTypes;
import org.clusterpool.node.testing.TestMembers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A handle whose own node the cluster downed (a JVM frozen longer than the cluster waits, then
 * woken) names that as the cause, not the queue's node; and its get that was waiting fails rather
 * than return an item the queue delivers again to another consumer.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class OwnNodeDownedTest {

  private final TestMembers members = new TestMembers("queues");

  @AfterAll
  void stopMembers() {
    members.close();
  }

  /** A new member joining {@code seed} (null: it forms a cluster of its own). */
  private ActorSystem<Void> member(ActorSystem<Void> seed) throws InterruptedException {
    ActorSystem<Void> system = members.start();
    assertNull(
        OwnNode.outOfCluster(system), "a member that has not joined yet is not out of the cluster");
    TestMembers.join(system, seed);
    return system;
  }

  private static String hostPort(ActorSystem<?> system) {
    return system.address().getHost().get() + ":" + system.address().getPort().get();
  }

  @Test
  void aHandleWhoseOwnNodeWasDownedSaysSoAndItsWaitingGetReturnsNothing() throws Exception {
    ActorSystem<Void> here = member(null);
    ActorSystem<Void> there = member(here);
    DistributedQueue<Long> q = DistributedQueue.create(here, "fq", ValueTypes.LONG, 0);
    DistributedQueue<Long> consumer = DistributedQueue.lookup(there, "fq", ValueTypes.LONG);
    q.put(1L);
    assertEquals(1L, consumer.get(Duration.ofSeconds(10)));
    CompletableFuture<Long> waiting = consumer.getAsync().toCompletableFuture();
    awaitParkedGets(q, 1);
    Cluster.get(here).manager().tell(Down.apply(there.address()));
    ExecutionException failed =
        assertThrows(ExecutionException.class, () -> waiting.get(60, TimeUnit.SECONDS));
    String expected = "this JVM's node " + hostPort(there) + " was downed";
    assertTrue(
        failed.getCause() instanceof QueueUnavailableException
            && failed.getCause().getMessage().contains(expected),
        failed.getCause().toString());
    QueueUnavailableException next =
        assertThrows(QueueUnavailableException.class, () -> consumer.get(Duration.ofSeconds(5)));
    assertTrue(next.getMessage().contains(expected), next.getMessage());
    q.put(2L);
    assertEquals(2L, q.get(Duration.ofSeconds(10)), "the queue is fine, and its item with it");
  }

  /**
   * A delivery that reaches a handle whose node is on its way out of the cluster fails its get: the
   * queue delivers the item again once the node is gone, so returned here too it would come out
   * twice.
   */
  @Test
  void aDeliveryToAHandleWhoseNodeIsLeavingFailsItsGetAndTheItemComesOutOnce() throws Exception {
    ActorSystem<Void> here = member(null);
    ActorSystem<Void> there = member(here);
    DistributedQueue<Long> q = DistributedQueue.create(here, "lq", ValueTypes.LONG, 0);
    DistributedQueue<Long> consumer = DistributedQueue.lookup(there, "lq", ValueTypes.LONG);
    CompletableFuture<Long> waiting = consumer.getAsync().toCompletableFuture();
    awaitParkedGets(q, 1);
    Cluster.get(there).manager().tell(Leave.create(there.address()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (OwnNode.outOfCluster(there) == null) {
      assertTrue(System.nanoTime() < deadline, "the member did not start leaving");
      Thread.sleep(5);
    }
    q.put(5L);
    ExecutionException failed =
        assertThrows(ExecutionException.class, () -> waiting.get(60, TimeUnit.SECONDS));
    assertTrue(
        failed.getCause() instanceof QueueUnavailableException
            && failed
                .getCause()
                .getMessage()
                .contains("this JVM's node " + hostPort(there) + " was downed or left"),
        failed.getCause().toString());
    assertEquals(5L, q.get(Duration.ofSeconds(30)), "the item, once, at the queue's node");
    assertEquals(0, q.qsize());
  }

  private static void awaitParkedGets(DistributedQueue<Long> q, int gets) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (q.stats().parkedGets() != gets) {
      assertTrue(System.nanoTime() < deadline, "the get did not reach the queue: " + q.stats());
      Thread.sleep(20);
    }
  }
}
