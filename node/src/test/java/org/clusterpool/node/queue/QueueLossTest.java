package org.clusterpool.node.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.typed.ActorSystem;
import org.clusterpool.node.task.ValueTypes;
import org.clusterpool.node.wire.Values;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The queue when messages between it and its handles are lost or come twice ({@link LossyQueue}): a
 * lost put, delivery, answer or acknowledgement is sent again, a repeated one is applied once, so
 * every item comes out once and in order and {@code join()} returns; a queue that falls silent
 * fails the handle's calls instead of hanging.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class QueueLossTest {

  @JUnit5TestKit
  ActorTestKit testKit =
      new JUnit5TestKitBuilder()
          .withCustomConfig(
              ConfigFactory.parseString(
                      """
                      clusterpool.queue.window = 4
                      clusterpool.queue.resend-after = 200 ms
                      clusterpool.queue.give-up-after = 3 s
                      """)
                  .withFallback(ConfigFactory.load("application-test")))
          .build();

  private final AtomicInteger names = new AtomicInteger();

  private ActorSystem<?> system() {
    return testKit.system();
  }

  /** A queue of long items behind a lossy wire, under a fresh name. */
  private LossyQueue start(String name, int maxsize, boolean joinable) {
    LossyQueue queue = new LossyQueue();
    queue.start(testKit, new QueueInfo(name, ValueTypes.LONG.name(), maxsize, joinable));
    return queue;
  }

  private String name() {
    return "lossy" + names.incrementAndGet();
  }

  private static Predicate<Object> request(Class<? extends QueueActor.Request> type) {
    return m -> m instanceof QueueActor.FromClient from && type.isInstance(from.request());
  }

  private static Predicate<Object> answer(Class<? extends QueueClient.Answer> type) {
    return m -> m instanceof QueueClient.FromQueue from && type.isInstance(from.answer());
  }

  private static Predicate<Object> put(long item) {
    Values value = new Values.Longs(new long[] {item});
    return m ->
        m instanceof QueueActor.FromClient from
            && from.request() instanceof QueueActor.Put put
            && put.item().equals(value);
  }

  @Test
  void lostAcknowledgementsAreSentAgainAndJoinReturns() throws Exception {
    String name = name();
    LossyQueue lossy = start(name, 0, true);
    lossy.intoQueue.drop(request(QueueActor.Ack.class), 2);
    DistributedQueue<Long> producer = DistributedQueue.lookup(system(), name, ValueTypes.LONG);
    DistributedQueue<Long> consumer = DistributedQueue.lookup(system(), name, ValueTypes.LONG);
    for (long i = 1; i <= 3; i++) producer.put(i);
    for (long i = 1; i <= 3; i++) {
      assertEquals(i, consumer.get(Duration.ofSeconds(10)));
      consumer.taskDone();
    }
    CompletableFuture<Void> join =
        CompletableFuture.runAsync(
            () -> {
              try {
                producer.join();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    join.get(30, TimeUnit.SECONDS);
    assertEquals(2, lossy.intoQueue.dropped(), "two acknowledgements were lost on the way");
    QueueStats stats = producer.stats();
    assertEquals(0, stats.unacknowledged(), stats.toString());
    assertEquals(3, stats.delivered(), "each item delivered once: " + stats);
    assertEquals(0, stats.redelivered(), stats.toString());
  }

  @Test
  void aLostPutIsSentAgainAndEveryItemComesOutOnceInOrder() throws Exception {
    String name = name();
    LossyQueue lossy = start(name, 0, false);
    lossy.intoQueue.drop(put(3), 1);
    DistributedQueue<Long> producer = DistributedQueue.lookup(system(), name, ValueTypes.LONG);
    List<CompletableFuture<Void>> puts = new ArrayList<>();
    for (long i = 1; i <= 20; i++)
      puts.add(producer.putAsync(i).toCompletableFuture()); // a window of puts on the way
    CompletableFuture.allOf(puts.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
    assertEquals(1, lossy.intoQueue.dropped(), "put 3 was lost on the way");
    DistributedQueue<Long> consumer = DistributedQueue.lookup(system(), name, ValueTypes.LONG);
    for (long i = 1; i <= 20; i++)
      assertEquals(i, consumer.get(Duration.ofSeconds(10)), "in the order put, each once");
    assertThrows(
        QueueEmptyException.class, () -> consumer.get(Duration.ofMillis(300)), "nothing more");
    assertEquals(20, consumer.stats().accepted());
  }

  @Test
  void lostDeliveriesAndAnswersAreSentAgainWithoutDeliveringTwice() throws Exception {
    String name = name();
    LossyQueue lossy = start(name, 0, false);
    lossy.intoHandles.drop(answer(QueueClient.Delivered.class), 2);
    lossy.intoHandles.drop(answer(QueueClient.Accepted.class), 1);
    lossy.intoHandles.drop(
        m -> m instanceof QueueClient.QueueSync, 2); // and the first answers to "what arrived?"
    DistributedQueue<Long> producer = DistributedQueue.lookup(system(), name, ValueTypes.LONG);
    DistributedQueue<Long> consumer = DistributedQueue.lookup(system(), name, ValueTypes.LONG);
    for (long i = 1; i <= 5; i++) producer.put(i);
    for (long i = 1; i <= 5; i++) assertEquals(i, consumer.get(Duration.ofSeconds(10)));
    assertEquals(
        5,
        lossy.intoHandles.dropped(),
        "two deliveries, an answer to a put and two states were lost");
    QueueStats stats = waitFor(consumer, s -> s.unacknowledged() == 0);
    assertEquals(5, stats.delivered(), "no item handed out twice: " + stats);
    assertEquals(0, stats.redelivered(), stats.toString());
    assertEquals(5, consumer.gets());
  }

  @Test
  void repeatedMessagesAreAppliedOnce() throws Exception {
    String name = name();
    LossyQueue lossy = start(name, 2, true);
    lossy.intoQueue.repeatAll(
        m -> m instanceof QueueActor.FromClient || m instanceof QueueActor.ClientSync);
    lossy.intoHandles.repeatAll(m -> true);
    DistributedQueue<Long> producer = DistributedQueue.lookup(system(), name, ValueTypes.LONG);
    DistributedQueue<Long> consumer = DistributedQueue.lookup(system(), name, ValueTypes.LONG);
    CompletableFuture<Void> puts =
        CompletableFuture.runAsync(
            () -> {
              try {
                for (long i = 1; i <= 10; i++)
                  producer.put(i); // a queue of 2: most puts wait for room
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    for (long i = 1; i <= 10; i++) {
      assertEquals(i, consumer.get(Duration.ofSeconds(10)), "each item once, in order");
      consumer.taskDone();
    }
    puts.get(30, TimeUnit.SECONDS);
    producer.join();
    assertThrows(
        QueueEmptyException.class, () -> consumer.get(Duration.ofMillis(300)), "nothing more");
    assertTrue(
        lossy.intoQueue.repeated() >= 30 && lossy.intoHandles.repeated() >= 30,
        "puts, gets, acknowledgements and their answers came twice: "
            + lossy.intoQueue.repeated()
            + ", "
            + lossy.intoHandles.repeated());
    QueueStats stats = producer.stats();
    assertEquals(10, stats.accepted(), stats.toString());
    assertEquals(10, stats.delivered(), stats.toString());
    assertEquals(0, stats.unacknowledged(), stats.toString());
    assertEquals(10, producer.puts());
  }

  @Test
  void aHandleWhoseQueueFallsSilentFailsItsCallsInsteadOfWaiting() throws Exception {
    String name = name();
    LossyQueue lossy = start(name, 0, false);
    DistributedQueue<Long> handle = DistributedQueue.lookup(system(), name, ValueTypes.LONG);
    lossy.intoHandles.dropAll(m -> true);
    ExecutionException failed =
        assertThrows(
            ExecutionException.class,
            () -> handle.getAsync().toCompletableFuture().get(30, TimeUnit.SECONDS));
    assertTrue(failed.getCause() instanceof QueueUnavailableException, failed.toString());
    assertTrue(
        failed.getCause().getMessage().contains("stopped answering this handle")
            && failed.getCause().getMessage().contains("clusterpool.queue.give-up-after"),
        failed.getCause().getMessage());
    assertTrue(lossy.intoHandles.dropped() > 0);
    assertThrows(QueueUnavailableException.class, () -> handle.put(1L), "later calls fail too");
  }

  @Test
  void theItemsOfAHandleCutOffFromItsQueueAreDeliveredAgain() throws Exception {
    String name = name();
    LossyQueue lossy = start(name, 0, true);
    DistributedQueue<Long> cutOff = DistributedQueue.lookup(system(), name, ValueTypes.LONG);
    DistributedQueue<Long> other = DistributedQueue.lookup(system(), name, ValueTypes.LONG);
    other.put(1L);
    assertEquals(1L, cutOff.get(Duration.ofSeconds(10))); // taken, never marked done
    CompletableFuture<Long> waiting = cutOff.getAsync().toCompletableFuture();
    waitFor(other, s -> s.parkedGets() == 1);
    // from now on nothing of the first handle reaches the queue: it lives, but the queue cannot
    // hear it
    lossy.intoQueue.dropAll(
        m ->
            (m instanceof QueueActor.FromClient from && from.client().equals(lossy.handles.get(0)))
                || (m instanceof QueueActor.ClientSync sync
                    && sync.client().equals(lossy.handles.get(0))));
    other.put(2L); // delivered to the waiting get of the cut-off handle, which cannot confirm it
    assertEquals(2L, waiting.get(10, TimeUnit.SECONDS));
    // the queue gives up on a handle that confirms nothing: what it held comes back, oldest first
    assertEquals(1L, other.get(Duration.ofSeconds(30)));
    assertEquals(2L, other.get(Duration.ofSeconds(10)));
    assertEquals(2, other.redeliveredGets());
    assertTrue(lossy.intoQueue.dropped() > 0);
    QueueUnavailableException failed =
        assertThrows(QueueUnavailableException.class, () -> cutOff.put(3L), "and its calls fail");
    assertTrue(
        failed.getMessage().contains("clusterpool.queue.give-up-after"), failed.getMessage());
    other.taskDone();
    other.taskDone();
    other.join();
  }

  private static QueueStats waitFor(DistributedQueue<?> q, Predicate<QueueStats> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    QueueStats stats = q.stats();
    while (!condition.test(stats)) {
      if (System.nanoTime() > deadline)
        throw new AssertionError("waited 20 s; the queue is at " + stats);
      Thread.sleep(20);
      stats = q.stats();
    }
    return stats;
  }
}
