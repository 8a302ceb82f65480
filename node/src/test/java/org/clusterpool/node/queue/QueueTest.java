package org.clusterpool.node.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.clusterpool.node.task.ValueTypes;
import org.clusterpool.node.wire.Values;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The queue in one JVM, through the same handles and messages as across JVMs (every message goes
 * through the serializer): order, backpressure with bounded memory, timeouts, close, JoinableQueue,
 * re-delivery.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class QueueTest {

  @JUnit5TestKit
  ActorTestKit testKit =
      new JUnit5TestKitBuilder()
          .withCustomConfig(
              ConfigFactory.parseString(
                      "clusterpool.queue.lookup-timeout = 1 s\n"
                          + "clusterpool.queue.closed-linger = 500 ms\n"
                          + "clusterpool.queue.window = 4\n"
                          + "clusterpool.queue.max-item-bytes = 64 KiB")
                  .withFallback(ConfigFactory.load("application-test")))
          .build();

  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final AtomicInteger names = new AtomicInteger();

  @AfterAll
  void stopThreads() {
    threads.shutdownNow();
  }

  private ActorSystem<?> system() {
    return testKit.system();
  }

  private String name() {
    return "q" + names.incrementAndGet();
  }

  private static <T> T within(Future<T> future) throws Exception {
    return future.get(20, TimeUnit.SECONDS);
  }

  @Test
  void itemsComeOutInTheOrderTheyWentIn() throws Exception {
    DistributedQueue<Long> q = DistributedQueue.create(system(), name(), ValueTypes.LONG, 0);
    for (long i = 1; i <= 200; i++) q.put(i);
    assertEquals(200, q.qsize());
    for (long i = 1; i <= 200; i++) assertEquals(i, q.get());
    assertEquals(0, q.qsize());
  }

  @Test
  void eachProducersItemsStayInOrderWhenManyPutAtOnce() throws Exception {
    String name = name();
    DistributedQueue<String> consumer = DistributedQueue.create(system(), name, ValueTypes.TEXT, 3);
    List<Future<?>> producers = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      int producer = p;
      DistributedQueue<String> handle = DistributedQueue.lookup(system(), name, ValueTypes.TEXT);
      producers.add(
          threads.submit(
              () -> {
                for (int i = 0; i < 250; i++)
                  handle.putAsync(producer + ":" + i); // pipelined, never awaited one by one
                handle.put(producer + ":end");
                return null;
              }));
    }
    int[] next = new int[4];
    int ends = 0;
    while (ends < 4) {
      String[] item = consumer.get(Duration.ofSeconds(20)).split(":");
      int producer = Integer.parseInt(item[0]);
      if (item[1].equals("end")) {
        assertEquals(
            250,
            next[producer],
            "the end marker came after all of producer " + producer + "'s items");
        ends++;
      } else {
        assertEquals(
            next[producer]++,
            Integer.parseInt(item[1]),
            "producer " + producer + "'s items in order");
      }
    }
    for (Future<?> producer : producers) within(producer);
    QueueStats stats = consumer.stats();
    assertTrue(stats.highestSize() <= 3, "never more than maxsize: " + stats);
    assertTrue(stats.waitedPuts() > 0, "a queue of 3 fed by 4 producers made them wait: " + stats);
  }

  @Test
  void aFullQueueMakesThePutWaitUntilThereIsRoom() throws Exception {
    DistributedQueue<Long> q = DistributedQueue.create(system(), name(), ValueTypes.LONG, 2);
    q.put(1L);
    q.put(2L);
    QueueFullException full =
        assertThrows(QueueFullException.class, () -> q.put(3L, Duration.ofMillis(100)));
    assertTrue(full.getMessage().contains("stayed full (maxsize 2)"), full.getMessage());
    assertThrows(QueueFullException.class, () -> q.put(3L, Duration.ZERO), "put_nowait");
    CompletableFuture<Void> waiting = q.putAsync(3L).toCompletableFuture();
    assertEquals(
        1,
        awaitStats(q, s -> s.parkedPuts() == 1).parkedPuts(),
        "the third put waits at the queue");
    assertFalse(waiting.isDone());
    assertEquals(1L, q.get());
    waiting.get(10, TimeUnit.SECONDS);
    assertEquals(2L, q.get());
    assertEquals(3L, q.get());
    assertEquals(1, q.waitedPuts(), "this handle counted the put that waited");
    assertEquals(3, q.puts());
    assertEquals(1, q.stats().waitedPuts());
  }

  /**
   * What a producer does not wait for waits in its own JVM: the queue holds maxsize items and one
   * window of puts.
   */
  @Test
  void memoryStaysBoundedWhateverTheProducersSend() throws Exception {
    String name = name();
    DistributedQueue<Long> q = DistributedQueue.create(system(), name, ValueTypes.LONG, 4);
    List<DistributedQueue<Long>> producers =
        List.of(
            DistributedQueue.lookup(system(), name, ValueTypes.LONG),
            DistributedQueue.lookup(system(), name, ValueTypes.LONG));
    List<CompletableFuture<Void>> puts = new ArrayList<>();
    for (int p = 0; p < producers.size(); p++) {
      for (long i = 0; i < 1000; i++)
        puts.add(producers.get(p).putAsync(p * 1000 + i).toCompletableFuture());
    }
    int window = QueueSettings.fromConfig(system().settings().config()).window();
    QueueStats full = awaitStats(q, s -> s.parkedPuts() == 2 * window);
    assertEquals(4, full.size(), full.toString());
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 2000; i++)
      assertTrue(seen.add(q.get(Duration.ofSeconds(10))), "each item once");
    CompletableFuture.allOf(puts.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);
    QueueStats stats = q.stats();
    assertEquals(4, stats.highestSize(), "the queue held at most maxsize items: " + stats);
    assertEquals(
        2 * window,
        stats.highestParkedPuts(),
        "and at most one window of waiting puts per producer: " + stats);
    assertEquals(2000, stats.accepted());
  }

  @Test
  void aGetWithATimeoutOnAnEmptyQueueThrowsEmpty() throws Exception {
    DistributedQueue<Long> q = DistributedQueue.create(system(), name(), ValueTypes.LONG, 0);
    QueueEmptyException empty =
        assertThrows(QueueEmptyException.class, () -> q.get(Duration.ofMillis(100)));
    assertTrue(empty.getMessage().contains("had no item"), empty.getMessage());
    assertThrows(QueueEmptyException.class, () -> q.get(Duration.ZERO), "get_nowait");
    CompletableFuture<Long> later = q.getAsync(Duration.ofSeconds(10)).toCompletableFuture();
    q.put(7L);
    assertEquals(7L, later.get(10, TimeUnit.SECONDS));
  }

  /**
   * Python takes {@code q.get(timeout=1e9)}: a timeout longer than the scheduler takes (about 248
   * days) waits as without end; it used to stop the queue's actor, and its items were lost.
   */
  @Test
  void aTimeoutLongerThanTheSchedulerTakesWaitsAndTheQueueLives() throws Exception {
    String name = name();
    DistributedQueue<Long> q = DistributedQueue.create(system(), name, ValueTypes.LONG, 2);
    q.put(1L);
    q.put(2L);
    DistributedQueue<Long> other = DistributedQueue.lookup(system(), name, ValueTypes.LONG);
    CompletableFuture<Void> waiting =
        other.putAsync(3L, Duration.ofDays(300)).toCompletableFuture();
    awaitStats(q, s -> s.parkedPuts() == 1);
    assertFalse(waiting.isDone());
    assertEquals(1L, q.get(Duration.ofSeconds(Long.MAX_VALUE)));
    waiting.get(10, TimeUnit.SECONDS);
    assertEquals(2L, q.get(Duration.ofDays(300)));
    assertEquals(3L, q.get(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)));
    CompletableFuture<Long> later =
        q.getAsync(Duration.ofSeconds(Long.MAX_VALUE)).toCompletableFuture();
    awaitStats(q, s -> s.parkedGets() == 1);
    q.put(4L);
    assertEquals(4L, later.get(10, TimeUnit.SECONDS));
  }

  /**
   * The queue's actor takes any timeout a message carries (a client of another version, or a
   * hostile one): it never stops on one, and a get waits.
   */
  @Test
  void theQueueLivesWhateverTimeoutAMessageCarries() throws Exception {
    QueueSettings settings = QueueSettings.fromConfig(system().settings().config());
    ActorRef<QueueActor.Command> queue =
        testKit.spawn(
            QueueActor.create(new QueueInfo(name(), ValueTypes.LONG.name(), 1, false), settings));
    TestProbe<QueueClient.Command> client = testKit.createTestProbe();
    queue.tell(new QueueActor.FromClient(client.getRef(), 1, 0, new QueueActor.Describe()));
    queue.tell(
        new QueueActor.FromClient(client.getRef(), 2, 0, new QueueActor.Get(7, Long.MAX_VALUE)));
    queue.tell(
        new QueueActor.FromClient(
            client.getRef(),
            3,
            0,
            new QueueActor.Put(8, new Values.Longs(new long[] {5}), Long.MAX_VALUE)));
    queue.tell(
        new QueueActor.FromClient(
            client.getRef(),
            4,
            0,
            new QueueActor.Put(9, new Values.Longs(new long[] {6}), Long.MAX_VALUE)));
    queue.tell(
        new QueueActor.FromClient(
            client.getRef(),
            5,
            0,
            new QueueActor.Put(10, new Values.Longs(new long[] {7}), Long.MAX_VALUE)));
    TestProbe<QueueStats> stats = testKit.createTestProbe();
    QueueStats seen =
        stats.awaitAssert(
            () -> {
              queue.tell(new QueueActor.Inspect(stats.getRef()));
              QueueStats s = stats.receiveMessage(Duration.ofSeconds(1));
              assertEquals(1, s.parkedPuts(), s.toString());
              return s;
            });
    assertEquals(1, seen.size(), "the get took 5, 6 is in, 7 waits for room: " + seen);
  }

  @Test
  void closeRefusesPutsAndLetsGetsDrainWhatIsLeft() throws Exception {
    String name = name();
    DistributedQueue<Long> q = DistributedQueue.create(system(), name, ValueTypes.LONG, 2);
    DistributedQueue<Long> other = DistributedQueue.lookup(system(), name, ValueTypes.LONG);
    q.put(1L);
    q.put(2L);
    CompletableFuture<Void> waitingPut = other.putAsync(3L).toCompletableFuture();
    awaitStats(q, s -> s.parkedPuts() == 1);
    q.close();
    CompletionException refused = assertThrows(CompletionException.class, waitingPut::join);
    assertTrue(refused.getCause() instanceof QueueClosedException, refused.toString());
    assertThrows(QueueClosedException.class, () -> other.put(4L));
    assertEquals(1L, other.get());
    assertEquals(2L, q.get());
    QueueClosedException drained =
        assertThrows(QueueClosedException.class, () -> other.get(Duration.ofSeconds(5)));
    assertTrue(drained.getMessage().contains("is closed"), drained.getMessage());
    // after the linger the queue frees its name; handles that knew it still say "closed", not
    // "lost"
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try {
        DistributedQueue.lookup(system(), name, ValueTypes.LONG).detach();
        Thread.sleep(100);
      } catch (QueueUnavailableException gone) {
        break;
      }
    }
    assertThrows(
        QueueUnavailableException.class,
        () -> DistributedQueue.lookup(system(), name, ValueTypes.LONG));
    assertThrows(QueueClosedException.class, () -> q.put(5L));
  }

  @Test
  void aGetWaitingOnAClosedQueueEndsOnceTheLastItemIsDone() throws Exception {
    DistributedQueue<Long> q =
        DistributedQueue.createJoinable(system(), name(), ValueTypes.LONG, 0);
    q.put(1L);
    assertEquals(1L, q.get());
    q.close();
    CompletableFuture<Long> waiting = q.getAsync().toCompletableFuture();
    assertFalse(waiting.isDone(), "the item out may still come back");
    q.taskDone();
    ExecutionException closed =
        assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
    assertTrue(closed.getCause() instanceof QueueClosedException, closed.toString());
  }

  @Test
  void joinWaitsUntilEveryItemIsMarkedDone() throws Exception {
    String name = name();
    DistributedQueue<Long> q = DistributedQueue.createJoinable(system(), name, ValueTypes.LONG, 0);
    DistributedQueue<Long> worker = DistributedQueue.lookup(system(), name, ValueTypes.LONG);
    for (long i = 0; i < 3; i++) q.put(i);
    Future<?> join =
        threads.submit(
            () -> {
              q.join();
              return null;
            });
    for (int i = 0; i < 3; i++) worker.get();
    worker.taskDone();
    worker.taskDone();
    Thread.sleep(200);
    assertFalse(join.isDone(), "one item is still not done");
    worker.taskDone();
    within(join);
    IllegalStateException tooMany = assertThrows(IllegalStateException.class, worker::taskDone);
    assertTrue(tooMany.getMessage().contains("called more times"), tooMany.getMessage());
    DistributedQueue<Long> plain = DistributedQueue.create(system(), name(), ValueTypes.LONG, 0);
    assertThrows(IllegalStateException.class, plain::taskDone);
    assertThrows(IllegalStateException.class, plain::join);
  }

  @Test
  void itemsAConsumerTookAndDidNotMarkDoneAreDeliveredAgainWhenItGoes() throws Exception {
    String name = name();
    DistributedQueue<Long> q = DistributedQueue.createJoinable(system(), name, ValueTypes.LONG, 0);
    DistributedQueue<Long> dying = DistributedQueue.lookup(system(), name, ValueTypes.LONG);
    for (long i = 1; i <= 4; i++) q.put(i);
    assertEquals(1L, dying.get());
    assertEquals(2L, dying.get());
    dying.taskDone(); // 1 is done; 2 is still in its hands
    dying.detach(); // as when its JVM dies: the queue sees its actor stop
    awaitStats(q, s -> s.redelivered() == 1);
    assertEquals(2L, q.get(Duration.ofSeconds(10)), "the item it held comes back first");
    assertEquals(1, q.redeliveredGets());
    assertEquals(3L, q.get());
    assertEquals(4L, q.get());
    QueueStats stats = q.stats();
    assertEquals(1, stats.redelivered(), stats.toString());
    assertEquals(5, stats.delivered(), stats.toString());
    assertThrows(
        QueueUnavailableException.class,
        () -> dying.get(Duration.ofSeconds(1)),
        "a detached handle refuses calls");
  }

  @Test
  void aPlainQueueAcknowledgesAnItemWhenItsGetReturnsIt() throws Exception {
    String name = name();
    DistributedQueue<Long> q = DistributedQueue.create(system(), name, ValueTypes.LONG, 0);
    DistributedQueue<Long> consumer = DistributedQueue.lookup(system(), name, ValueTypes.LONG);
    q.put(1L);
    assertEquals(1L, consumer.get());
    awaitStats(q, s -> s.unacknowledged() == 0);
    consumer.detach();
    assertThrows(
        QueueEmptyException.class, () -> q.get(Duration.ofMillis(300)), "nothing to deliver again");
  }

  @Test
  void aGetThatIsGivenUpDoesNotLoseTheItem() throws Exception {
    DistributedQueue<Long> q = DistributedQueue.create(system(), name(), ValueTypes.LONG, 0);
    CompletableFuture<Long> abandoned = q.getAsync().toCompletableFuture();
    awaitStats(q, s -> s.parkedGets() == 1);
    abandoned.cancel(false);
    AtomicReference<Long> got = new AtomicReference<>();
    Thread reader =
        new Thread(
            () -> {
              try {
                got.set(q.get());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    reader.start();
    awaitStats(q, s -> s.parkedGets() == 1);
    reader.interrupt();
    reader.join(10_000);
    assertEquals(null, got.get());
    awaitStats(q, s -> s.parkedGets() == 0);
    q.put(9L);
    assertEquals(
        9L, q.get(Duration.ofSeconds(10)), "neither the cancelled nor the interrupted get took it");
  }

  @Test
  void namesAndTypesAreChecked() throws Exception {
    String name = name();
    DistributedQueue.create(system(), name, ValueTypes.LONG, 0);
    IllegalArgumentException taken =
        assertThrows(
            IllegalArgumentException.class,
            () -> DistributedQueue.create(system(), name, ValueTypes.LONG, 0));
    assertTrue(
        taken.getMessage().startsWith("a queue named '" + name + "' already exists"),
        taken.getMessage());
    IllegalArgumentException type =
        assertThrows(
            IllegalArgumentException.class,
            () -> DistributedQueue.lookup(system(), name, ValueTypes.TEXT));
    assertEquals("queue '" + name + "' holds long items, not text", type.getMessage());
    QueueUnavailableException missing =
        assertThrows(
            QueueUnavailableException.class,
            () -> DistributedQueue.lookup(system(), "nobody", ValueTypes.LONG));
    assertEquals("no queue named 'nobody' answered within 1 s", missing.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> DistributedQueue.create(system(), "no spaces", ValueTypes.LONG, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> DistributedQueue.create(system(), name(), ValueTypes.LONG, -1));
  }

  record Note(String text) {}

  /**
   * Every message carries at most one item: an item over the budget fails its put at once, and says
   * why.
   */
  @Test
  void anItemLargerThanOneMessageCarriesFailsItsPutAtOnce() throws Exception {
    DistributedQueue<Note> notes =
        DistributedQueue.create(system(), name(), ValueTypes.record(Note.class), 0);
    Note ascii =
        new Note("a".repeat(40_000)); // over the budget at 3 bytes a character, under it as written
    notes.put(ascii);
    assertEquals(ascii, notes.get(Duration.ofSeconds(10)));
    Note wide = new Note("字".repeat(40_000)); // 40,000 characters, 120,000 bytes
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> notes.put(wide));
    assertTrue(
        refused
            .getMessage()
            .matches(
                "an item of queue 'q\\d+' takes 1200\\d\\d bytes on the wire, more than the 65536"
                    + " one message carries \\(clusterpool.queue.max-item-bytes\\)"),
        refused.getMessage());
    assertThrows(IllegalArgumentException.class, () -> notes.putAsync(wide), "every way in");
    assertEquals(0, notes.qsize());
  }

  @Test
  void manyProducersAndConsumersDeliverEveryItemExactlyOnce() throws Exception {
    String name = name();
    DistributedQueue<Long> q = DistributedQueue.create(system(), name, ValueTypes.LONG, 5);
    List<Future<?>> producers = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      long first = p * 10_000L;
      DistributedQueue<Long> handle = DistributedQueue.lookup(system(), name, ValueTypes.LONG);
      producers.add(
          threads.submit(
              () -> {
                for (long i = 0; i < 400; i++) handle.put(first + i);
                return null;
              }));
    }
    List<Long> taken = new CopyOnWriteArrayList<>();
    List<Future<?>> consumers = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      DistributedQueue<Long> handle = DistributedQueue.lookup(system(), name, ValueTypes.LONG);
      consumers.add(
          threads.submit(
              () -> {
                try {
                  while (true) taken.add(handle.get());
                } catch (QueueClosedException closed) {
                  return null;
                }
              }));
    }
    for (Future<?> producer : producers) within(producer);
    q.close();
    for (Future<?> consumer : consumers) within(consumer);
    assertEquals(1200, taken.size());
    assertEquals(1200, new HashSet<>(taken).size(), "no item twice");
    for (int p = 0; p < 3; p++) {
      for (long i = 0; i < 400; i++)
        assertTrue(taken.contains(p * 10_000L + i), "item " + (p * 10_000L + i) + " arrived");
    }
  }

  private static QueueStats awaitStats(
      DistributedQueue<?> q, java.util.function.Predicate<QueueStats> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    QueueStats stats = q.stats();
    while (!condition.test(stats)) {
      if (System.nanoTime() > deadline)
        throw new AssertionError("waited 10 s; the queue is at " + stats);
      Thread.sleep(10);
      stats = q.stats();
    }
    return stats;
  }
}
