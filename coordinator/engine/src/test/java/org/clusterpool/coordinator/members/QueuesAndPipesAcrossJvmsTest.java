package org.clusterpool.coordinator.members;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorSystem;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.launcher.JvmProcess;
import org.clusterpool.node.pipe.Connection;
import org.clusterpool.node.pipe.Pipe;
import org.clusterpool.node.queue.DistributedQueue;
import org.clusterpool.node.queue.QueueEmptyException;
import org.clusterpool.node.queue.QueueStats;
import org.clusterpool.node.task.AsyncTask;
import org.clusterpool.node.task.ValueTypes;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.clusterpool.node.task.builtin.Increment;
import org.clusterpool.node.task.builtin.PipeEcho;
import org.clusterpool.node.task.builtin.QueuePut;
import org.clusterpool.node.task.builtin.QueueTake;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Queues and pipes between real JVMs: the queue lives in this (the coordinator's) JVM, its
 * producers and consumers and the far end of the pipe are tasks on worker JVMs. Every item arrives
 * once; an item held by a consumer whose JVM is killed, or on its way to it, is delivered again,
 * once; a pipe keeps its order both ways and ends in EOF, even when the other JVM dies.
 */
@Timeout(180)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueuesAndPipesAcrossJvmsTest {
  @SuppressWarnings("unchecked")
  private static final AsyncTask<String, Long> QUEUE_HOLD =
      (AsyncTask<String, Long>) TaskCatalog.shared().get("test-queue-hold");

  private static final long SELF = ProcessHandle.current().pid();

  /** Two worker JVMs of two workers each, shared by the tests that kill nothing. */
  private LocalCluster cluster;

  @BeforeAll
  void startCluster() throws Exception {
    cluster = LocalCluster.start(2, 2, Files.createTempDirectory("clusterpool-queue-test-logs"));
  }

  @AfterAll
  void stopCluster() {
    if (cluster == null) return;
    cluster.close();
    for (JvmProcess node : cluster.nodes()) assertFalse(node.isAlive(), node + " still runs");
  }

  private ActorSystem<?> system() {
    return cluster.coordinator().system();
  }

  @Test
  void producersAndConsumersOnWorkerJvmsDeliverEveryItemExactlyOnceAndInOrderPerProducer()
      throws Exception {
    ClusterPool pool = cluster.pool();
    DistributedQueue<Long> queue =
        DistributedQueue.create(system(), "across-jvms", ValueTypes.LONG, 4);
    int producers = 3;
    long perProducer = 300;
    List<QueueTake.Args> takers =
        Collections.nCopies(3, new QueueTake.Args("across-jvms", 0, 0.0005));
    CompletableFuture<List<QueueTake.Report>> consumed =
        pool.mapAsync(BuiltinTasks.QUEUE_TAKE, takers, 1).toCompletableFuture();
    List<QueuePut.Args> putters = new ArrayList<>();
    for (int p = 0; p < producers; p++)
      putters.add(new QueuePut.Args("across-jvms", p * 1_000_000L, perProducer));
    List<QueuePut.Report> produced =
        pool.mapAsync(BuiltinTasks.QUEUE_PUT, putters, 1)
            .toCompletableFuture()
            .get(120, TimeUnit.SECONDS);
    queue.close();
    List<QueueTake.Report> reports = consumed.get(120, TimeUnit.SECONDS);

    Set<Long> pids = new HashSet<>();
    List<Long> all = new ArrayList<>();
    for (QueueTake.Report report : reports) {
      pids.add(report.pid());
      all.addAll(report.items());
      long[] last = new long[producers];
      Arrays.fill(last, -1);
      for (long item : report.items()) {
        int producer = (int) (item / 1_000_000L);
        assertTrue(
            item > last[producer],
            "each producer's items in order, as " + report.worker() + " took them");
        last[producer] = item;
      }
    }
    for (QueuePut.Report report : produced) {
      pids.add(report.pid());
      assertEquals(perProducer, report.put());
    }
    assertFalse(pids.contains(SELF), "producers and consumers ran on the worker JVMs");
    assertEquals(producers * perProducer, all.size(), "every item arrived");
    assertEquals(all.size(), new HashSet<>(all).size(), "no item twice");
    for (int p = 0; p < producers; p++) {
      for (long i = 0; i < perProducer; i++) assertTrue(all.contains(p * 1_000_000L + i));
    }
    QueueStats stats = waitForStats(queue, s -> true);
    assertTrue(stats.highestSize() <= 4, "never more than maxsize items: " + stats);
    assertEquals(producers * perProducer, stats.accepted());
    assertEquals(0, stats.redelivered());
    assertEquals(
        produced.stream().mapToLong(QueuePut.Report::waited).sum(),
        stats.waitedPuts(),
        "each wait counted on both sides");
  }

  @Test
  void aPipeToAWorkerJvmKeepsItsOrderBothWaysAndEndsInEof() throws Exception {
    Connection<Long> ping = Pipe.open(system(), "ping-jvm", ValueTypes.LONG, Pipe.End.FIRST);
    CompletableFuture<PipeEcho.Report> echo =
        cluster
            .pool()
            .applyAsync(BuiltinTasks.PIPE_ECHO, new PipeEcho.Args("ping-jvm", 0))
            .toCompletableFuture();
    for (long i = 0; i < 300; i++) {
      ping.send(i);
      assertEquals(i, ping.recv());
    }
    assertTrue(
        ping.directConnection(), "JVMs of one machine: the ends talk over their direct connection");
    for (long i = 0; i < 200; i++)
      ping.sendAsync(1000 + i); // more than the buffer: sends wait for room
    for (long i = 0; i < 200; i++) assertEquals(1000 + i, ping.recv());
    ping.close();
    PipeEcho.Report report = echo.get(60, TimeUnit.SECONDS);
    assertEquals(500, report.echoed());
    assertTrue(report.eof(), "the echo read EOF after the last message");
    assertNotEquals(SELF, report.pid());
  }

  @Test
  void everyWorkerCountsInItsOwnCounterAcrossJvms() {
    List<Increment.Counted> counted =
        cluster.pool().map(BuiltinTasks.INCREMENT, Collections.nCopies(200, 1L), 1);
    Map<String, List<Long>> byWorker = new HashMap<>();
    for (Increment.Counted c : counted)
      byWorker.computeIfAbsent(c.pid() + "/" + c.worker(), k -> new ArrayList<>()).add(c.counter());
    Set<Long> pids = new HashSet<>();
    for (Increment.Counted c : counted) pids.add(c.pid());
    assertEquals(2, pids.size(), "both worker JVMs counted");
    assertFalse(pids.contains(SELF));
    for (Map.Entry<String, List<Long>> worker : byWorker.entrySet()) {
      List<Long> values = new ArrayList<>(worker.getValue());
      Collections.sort(values);
      for (int i = 1; i < values.size(); i++) {
        assertEquals(
            values.get(i - 1) + 1,
            values.get(i),
            worker.getKey() + " saw only its own increments: " + values);
      }
    }
  }

  @Test
  void whenAWorkerJvmDiesItsItemsAreDeliveredAgainAndItsPipeEndsInEof() throws Exception {
    try (LocalCluster single =
        LocalCluster.start(1, 1, Files.createTempDirectory("clusterpool-queue-kill-logs"))) {
      ActorSystem<?> system = single.coordinator().system();
      DistributedQueue<Long> queue =
          DistributedQueue.createJoinable(system, "held", ValueTypes.LONG, 0);
      queue.put(1L);
      CompletableFuture<Long> holder =
          single.pool().applyAsync(QUEUE_HOLD, "held").toCompletableFuture();
      waitForStats(
          queue,
          s -> s.unacknowledged() == 1 && s.parkedGets() == 1); // holds item 1, waits for another
      Connection<Long> ping = Pipe.open(system, "ping-killed", ValueTypes.LONG, Pipe.End.FIRST);
      single.pool().applyAsync(BuiltinTasks.PIPE_ECHO, new PipeEcho.Args("ping-killed", 0));
      ping.send(7L);
      assertEquals(7L, ping.recv());
      assertTrue(ping.directConnection());

      CompletableFuture<Long> next = queue.getAsync().toCompletableFuture();
      waitForStats(queue, s -> s.parkedGets() == 2); // the holder's next get, then this one
      single.nodes().get(0).kill(); // SIGKILL: the consumer dies holding item 1, unacknowledged

      assertEquals(1L, next.get(90, TimeUnit.SECONDS), "item 1 delivered again");
      assertEquals(1, queue.redeliveredGets());
      assertEquals(1, queue.stats().redelivered());
      EOFException eof = assertThrows(EOFException.class, ping::recv);
      assertTrue(eof.getMessage().contains("is gone"), eof.getMessage());
      queue.taskDone();
      queue.close(); // the holder runs again on the replacement JVM; closing ends it
      holder.handle((value, error) -> null).get(90, TimeUnit.SECONDS);
    }
  }

  /**
   * A plain queue acknowledges an item once its get has returned it. One still on its way to a
   * consumer whose JVM dies is not lost: it is delivered again, once.
   */
  @Test
  void anItemOnItsWayToAConsumerJvmThatDiesIsDeliveredAgainOnce() throws Exception {
    try (LocalCluster single =
        LocalCluster.start(1, 1, Files.createTempDirectory("clusterpool-queue-in-flight-logs"))) {
      ActorSystem<?> system = single.coordinator().system();
      DistributedQueue<Long> queue =
          DistributedQueue.create(system, "in-flight", ValueTypes.LONG, 0);
      CompletableFuture<QueueTake.Report> taker =
          single
              .pool()
              .applyAsync(BuiltinTasks.QUEUE_TAKE, new QueueTake.Args("in-flight", 1, 0))
              .toCompletableFuture();
      waitForStats(
          queue, s -> s.parkedGets() == 1); // the consumer on the worker JVM waits for an item
      CompletableFuture<Long> here = queue.getAsync(Duration.ofSeconds(120)).toCompletableFuture();
      waitForStats(queue, s -> s.parkedGets() == 2); // then this one
      JvmProcess consumer = single.nodes().get(0);
      consumer.freeze(); // SIGSTOP: the consumer's JVM cannot take what it is sent
      queue.put(7L);
      QueueStats inFlight = waitForStats(queue, s -> s.delivered() == 1);
      assertEquals(
          1,
          inFlight.unacknowledged(),
          "item 7 went to the frozen consumer, which cannot hand it over: " + inFlight);
      assertFalse(here.isDone());
      consumer.kill(); // SIGKILL: it dies with item 7 on its way

      assertEquals(7L, here.get(90, TimeUnit.SECONDS), "item 7 delivered again");
      assertEquals(1, queue.redeliveredGets());
      QueueStats stats = queue.stats();
      assertEquals(1, stats.redelivered(), stats.toString());
      assertEquals(2, stats.delivered(), "once to the consumer that died, once here: " + stats);
      assertThrows(
          QueueEmptyException.class,
          () -> queue.get(Duration.ofMillis(500)),
          "and not a third time");
      queue.close(); // the consumer's task runs again on the replacement JVM; closing ends it
      taker
          .handle(
              (report, error) -> {
                if (report != null)
                  assertEquals(
                      List.of(), report.items(), "the re-run found nothing: item 7 came out once");
                return null;
              })
          .get(90, TimeUnit.SECONDS);
    }
  }

  private static QueueStats waitForStats(DistributedQueue<?> queue, Predicate<QueueStats> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    QueueStats stats = queue.stats();
    while (!condition.test(stats)) {
      if (System.nanoTime() > deadline)
        throw new AssertionError("waited 60 s; the queue is at " + stats);
      Thread.sleep(20);
      stats = queue.stats();
    }
    return stats;
  }
}
