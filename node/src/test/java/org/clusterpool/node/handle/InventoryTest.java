package org.clusterpool.node.handle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.clusterpool.node.pipe.Connection;
import org.clusterpool.node.pipe.Pipe;
import org.clusterpool.node.pipe.PipeStats;
import org.clusterpool.node.queue.DistributedQueue;
import org.clusterpool.node.queue.QueueActor;
import org.clusterpool.node.queue.QueueStats;
import org.clusterpool.node.task.ValueTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The inventory finds every queue and pipe end under their cluster-wide keys, with what each holds
 * (every message through the serializer), leaves out and counts one that does not answer or that is
 * on a member the caller skips, and loses them once they are closed.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class InventoryTest {

  @JUnit5TestKit
  ActorTestKit testKit =
      new JUnit5TestKitBuilder()
          .withCustomConfig(
              ConfigFactory.parseString(
                      "clusterpool.queue.closed-linger = 300 ms\nclusterpool.pipe.buffer = 4")
                  .withFallback(ConfigFactory.load("application-test")))
          .build();

  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private ActorSystem<?> system() {
    return testKit.system();
  }

  private static <T> T within(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static QueueStats queue(Inventory.Found<QueueStats> found, String name) {
    return found.answered().stream()
        .filter(q -> q.info().name().equals(name))
        .findFirst()
        .orElse(null);
  }

  private static PipeStats end(Inventory.Found<PipeStats> found, String name, String end) {
    return found.answered().stream()
        .filter(p -> p.name().equals(name) && p.end().equals(end))
        .findFirst()
        .orElse(null);
  }

  /** A timeout longer than the scheduler takes used to fail the look-up with its own error. */
  @Test
  void aTimeoutLongerThanTheSchedulerTakesStillFindsThem() throws Exception {
    DistributedQueue<Long> q = DistributedQueue.create(system(), "inv-long", ValueTypes.LONG, 0);
    q.put(1L);
    Inventory.Found<QueueStats> found =
        within(Inventory.queues(system(), Duration.ofSeconds(Long.MAX_VALUE)));
    assertEquals(1, queue(found, "inv-long").size());
    q.close();
  }

  @Test
  void findsTwoQueuesWithWhatTheyHoldAndLosesAClosedOne() throws Exception {
    DistributedQueue<Long> jobs =
        DistributedQueue.create(system(), "inv-jobs", ValueTypes.LONG, 10);
    DistributedQueue<Long> done = DistributedQueue.create(system(), "inv-done", ValueTypes.LONG, 0);
    for (long i = 0; i < 3; i++) jobs.put(i); // put, not taken
    done.put(7L);
    assertEquals(7L, done.get());

    Inventory.Found<QueueStats> found = within(Inventory.queues(system(), TIMEOUT));
    assertEquals(0, found.silent());
    QueueStats j = queue(found, "inv-jobs");
    QueueStats d = queue(found, "inv-done");
    assertEquals(3, j.size());
    assertEquals(10, j.info().maxsize());
    assertEquals(3, j.accepted());
    assertEquals(0, j.delivered());
    assertFalse(j.closed());
    assertEquals(system().address().toString(), j.node());
    assertEquals(0, d.size());
    assertEquals(1, d.accepted());
    assertEquals(1, d.delivered());
    assertTrue(found.answered().indexOf(d) < found.answered().indexOf(j), "in order of name");

    // a closed, empty queue frees its name after its linger, and leaves the inventory with it
    done.close();
    TestProbe<Object> waiting = testKit.createTestProbe();
    waiting.awaitAssert(
        Duration.ofSeconds(10),
        () -> {
          Inventory.Found<QueueStats> after =
              Inventory.queues(system(), TIMEOUT).toCompletableFuture().join();
          assertTrue(queue(after, "inv-done") == null, "the closed queue is gone: " + after);
          assertTrue(queue(after, "inv-jobs") != null);
          return null;
        });
  }

  @Test
  void findsBothEndsOfAPipeWithTheirCountsAndLosesThemOnceClosed() throws Exception {
    Pipe<Long> pipe = Pipe.create(system(), "inv-pipe", ValueTypes.LONG, true);
    for (long i = 0; i < 3; i++)
      pipe.first().send(i); // sent, not read: they wait at the second end
    CompletionStage<Long> reading = pipe.first().recvAsync(); // a recv waits at the first end

    TestProbe<Object> waiting = testKit.createTestProbe();
    waiting.awaitAssert(
        Duration.ofSeconds(10),
        () -> {
          Inventory.Found<PipeStats> found =
              Inventory.pipes(system(), TIMEOUT).toCompletableFuture().join();
          PipeStats first = end(found, "inv-pipe", "first");
          PipeStats second = end(found, "inv-pipe", "second");
          assertEquals(
              new PipeStats(
                  "inv-pipe",
                  "first",
                  system().address().toString(),
                  false,
                  false,
                  0,
                  3,
                  0,
                  0,
                  1,
                  1),
              first);
          assertEquals(
              new PipeStats(
                  "inv-pipe",
                  "second",
                  system().address().toString(),
                  false,
                  false,
                  3,
                  0,
                  3,
                  0,
                  0,
                  4),
              second);
          return null;
        });
    assertFalse(reading.toCompletableFuture().isDone());

    pipe.second().send(42L);
    assertEquals(42L, within(reading));
    pipe.first().close();
    pipe.second().close();
    waiting.awaitAssert(
        Duration.ofSeconds(10),
        () -> {
          Inventory.Found<PipeStats> found =
              Inventory.pipes(system(), TIMEOUT).toCompletableFuture().join();
          assertTrue(
              end(found, "inv-pipe", "first") == null && end(found, "inv-pipe", "second") == null,
              "closed ends are gone: " + found);
          return null;
        });
  }

  @Test
  void oneOnAMemberTheCallerSkipsIsNotAskedAndCountedSilent() throws Exception {
    TestProbe<QueueActor.Command> mute = testKit.createTestProbe();
    TestProbe<Receptionist.Registered> registered = testKit.createTestProbe();
    system()
        .receptionist()
        .tell(Receptionist.register(QueueActor.ALL, mute.getRef(), registered.getRef()));
    registered.expectMessageClass(Receptionist.Registered.class);

    // every actor here is on this one member: skipping it skips them all (as a dashboard skips an
    // unreachable one)
    Inventory.Found<QueueStats> found =
        within(
            Inventory.queues(
                system(), TIMEOUT, address -> address.equals(mute.getRef().path().address())));
    mute.expectNoMessage(Duration.ofMillis(300));
    assertTrue(found.answered().isEmpty(), found.toString());
    assertTrue(found.silent() >= 1, found.toString());
    TestProbe<Receptionist.Deregistered> deregistered = testKit.createTestProbe();
    system()
        .receptionist()
        .tell(Receptionist.deregister(QueueActor.ALL, mute.getRef(), deregistered.getRef()));
    deregistered.expectMessageClass(Receptionist.Deregistered.class);
    mute.stop();
  }

  @Test
  void oneThatDoesNotAnswerIsLeftOutAndCountedWithinTheTimeout() throws Exception {
    DistributedQueue<Long> q = DistributedQueue.create(system(), "inv-answers", ValueTypes.LONG, 0);
    q.put(1L);
    TestProbe<QueueActor.Command> mute = testKit.createTestProbe();
    TestProbe<Receptionist.Registered> registered = testKit.createTestProbe();
    system()
        .receptionist()
        .tell(Receptionist.register(QueueActor.ALL, mute.getRef(), registered.getRef()));
    registered.expectMessageClass(Receptionist.Registered.class);

    Inventory.Found<QueueStats> found = within(Inventory.queues(system(), Duration.ofMillis(500)));
    mute.expectMessageClass(QueueActor.Inspect.class); // it was asked, and kept silent
    assertEquals(1, found.silent());
    assertEquals(0, found.omitted());
    assertEquals(1, queue(found, "inv-answers").size());
    TestProbe<Receptionist.Deregistered> deregistered = testKit.createTestProbe();
    system()
        .receptionist()
        .tell(Receptionist.deregister(QueueActor.ALL, mute.getRef(), deregistered.getRef()));
    deregistered.expectMessageClass(Receptionist.Deregistered.class);
    mute.stop();
  }

  @Test
  void anEndThatIsAlreadyOpenDoesNotStayListed() throws Exception {
    // the second opening of an end stops at once: only the first is listed under the cluster-wide
    // key
    Pipe.open(system(), "inv-twice", ValueTypes.LONG, Pipe.End.FIRST);
    TestProbe<Object> waiting = testKit.createTestProbe();
    // the first is registered before the second looks (two opened at the same instant may both miss
    // each other)
    waiting.awaitAssert(
        Duration.ofSeconds(10),
        () -> {
          assertEquals(
              1,
              Inventory.pipes(system(), TIMEOUT).toCompletableFuture().join().answered().stream()
                  .filter(p -> p.name().equals("inv-twice"))
                  .count());
          return null;
        });
    Connection<Long> second = Pipe.open(system(), "inv-twice", ValueTypes.LONG, Pipe.End.FIRST);
    // the second end stopped (its calls fail, saying why) before the list is read again
    Throwable refused =
        assertThrows(
            java.util.concurrent.CompletionException.class,
            () ->
                second
                    .sendAsync(1L)
                    .toCompletableFuture()
                    .orTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
                    .join());
    assertTrue(
        String.valueOf(refused.getCause().getMessage()).contains("already open"),
        refused.toString());
    waiting.awaitAssert(
        Duration.ofSeconds(10),
        () -> {
          List<PipeStats> ends =
              Inventory.pipes(system(), TIMEOUT).toCompletableFuture().join().answered().stream()
                  .filter(p -> p.name().equals("inv-twice"))
                  .toList();
          assertEquals(1, ends.size(), ends.toString());
          return null;
        });
  }
}
