package org.clusterpool.node.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.EOFException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.clusterpool.node.task.ValueTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Both ends in one JVM, through the messages they exchange across JVMs: order, EOF, a bounded
 * buffer, one-way pipes.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class PipeTest {

  @JUnit5TestKit
  ActorTestKit testKit =
      new JUnit5TestKitBuilder()
          .withCustomConfig(
              ConfigFactory.parseString(
                      "clusterpool.pipe.buffer = 4\nclusterpool.pipe.max-message-bytes = 64 KiB")
                  .withFallback(ConfigFactory.load("application-test")))
          .build();

  private final AtomicInteger names = new AtomicInteger();

  private ActorSystem<?> system() {
    return testKit.system();
  }

  private String name() {
    return "p" + names.incrementAndGet();
  }

  @Test
  void messagesArriveInOrderBothWays() throws Exception {
    Pipe<Long> pipe = Pipe.create(system(), name(), ValueTypes.LONG, true);
    CompletableFuture<Void> echo =
        CompletableFuture.runAsync(
            () -> {
              try {
                for (int i = 0; i < 500; i++) pipe.second().send(pipe.second().recv() * 10);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    for (long i = 0; i < 500; i++) {
      pipe.first().send(i);
      assertEquals(i * 10, pipe.first().recv());
    }
    echo.get(20, TimeUnit.SECONDS);
    for (long i = 0; i < 100; i++) pipe.second().sendAsync(i);
    for (long i = 0; i < 100; i++)
      assertEquals(i, pipe.first().recv(), "a burst larger than the buffer, in order");
  }

  /**
   * A timeout longer than the scheduler takes (about 248 days) waits as without end: it used to
   * stop the end's actor, and its peer saw a broken pipe.
   */
  @Test
  void aTimeoutLongerThanTheSchedulerTakesWaitsAndTheEndLives() throws Exception {
    Pipe<Long> pipe = Pipe.create(system(), name(), ValueTypes.LONG, true);
    CompletableFuture<Boolean> polled =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return pipe.second().poll(Duration.ofDays(300));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(200);
    pipe.first().send(1L);
    assertTrue(polled.get(10, TimeUnit.SECONDS));
    assertEquals(1L, pipe.second().recv());
    Pipe<Long> full = Pipe.create(system(), name(), ValueTypes.LONG, true);
    for (long i = 0; i < 4; i++) full.first().send(i);
    CompletableFuture<Boolean> sent =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return full.first().send(4L, Duration.ofSeconds(Long.MAX_VALUE, 999_999_999));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(200);
    assertFalse(sent.isDone(), "the buffer is full: the send waits");
    for (long i = 0; i < 5; i++) assertEquals(i, full.second().recv());
    assertTrue(sent.get(10, TimeUnit.SECONDS));
    pipe.second().send(9L);
    assertTrue(pipe.first().poll(Duration.ofSeconds(Long.MAX_VALUE)));
    assertEquals(9L, pipe.first().recv());
  }

  @Test
  void afterTheOtherEndClosesTheReaderGetsWhatWasSentThenEof() throws Exception {
    Pipe<String> pipe = Pipe.create(system(), name(), ValueTypes.TEXT, true);
    pipe.first().send("a");
    pipe.first().send("b");
    pipe.first().close();
    pipe.first().close(); // twice is fine, as in Python
    assertEquals("a", pipe.second().recv());
    assertTrue(pipe.second().poll(Duration.ofSeconds(5)));
    assertEquals("b", pipe.second().recv());
    assertTrue(
        pipe.second().poll(Duration.ofSeconds(5)), "poll is true at EOF: recv would not wait");
    EOFException eof = assertThrows(EOFException.class, () -> pipe.second().recv());
    assertTrue(eof.getMessage().contains("was closed after sending 2 messages"), eof.getMessage());
    assertThrows(EOFException.class, () -> pipe.second().recv(), "and again");
    PipeClosedException broken =
        assertThrows(PipeClosedException.class, () -> pipe.second().send("c"));
    assertTrue(
        broken.getMessage().startsWith("broken pipe: the other end of pipe"), broken.getMessage());
    PipeClosedException closed =
        assertThrows(PipeClosedException.class, () -> pipe.first().send("d"));
    assertTrue(
        closed.getMessage().contains("this end (FIRST)")
            && closed.getMessage().contains("is closed"),
        closed.getMessage());
    assertThrows(PipeClosedException.class, () -> pipe.first().recv());
  }

  @Test
  void aReaderWaitingWhenTheOtherEndClosesGetsEofNotAHang() throws Exception {
    Pipe<Long> pipe = Pipe.create(system(), name(), ValueTypes.LONG, true);
    CompletableFuture<Long> waiting = pipe.second().recvAsync().toCompletableFuture();
    assertFalse(pipe.second().poll(Duration.ofMillis(50)));
    pipe.first().close();
    ExecutionException eof =
        assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
    assertTrue(eof.getCause() instanceof EOFException, eof.toString());
  }

  @Test
  void aSendWaitsWhileTheOtherEndsBufferIsFull() throws Exception {
    Pipe<Long> pipe = Pipe.create(system(), name(), ValueTypes.LONG, true);
    for (long i = 0; i < 4; i++)
      assertTrue(pipe.first().send(i, Duration.ofSeconds(5)), "the buffer holds 4");
    assertFalse(
        pipe.first().send(4L, Duration.ofMillis(100)), "a fifth waits for room, and gives up");
    CompletableFuture<Void> fifth = pipe.first().sendAsync(5L).toCompletableFuture();
    Thread.sleep(100);
    assertFalse(fifth.isDone(), "still no room");
    for (long i = 0; i < 2; i++) assertEquals(i, pipe.second().recv());
    fifth.get(10, TimeUnit.SECONDS);
    assertEquals(2L, pipe.second().recv());
    assertEquals(3L, pipe.second().recv());
    assertEquals(5L, pipe.second().recv(), "the send that gave up was not sent");
  }

  @Test
  void aSendWaitsForTheOtherEndToOpen() throws Exception {
    String name = name();
    Connection<Long> first = Pipe.open(system(), name, ValueTypes.LONG, Pipe.End.FIRST);
    CompletableFuture<Void> sent = first.sendAsync(1L).toCompletableFuture();
    Thread.sleep(100);
    assertFalse(sent.isDone(), "nobody to send to yet");
    Connection<Long> second = Pipe.open(system(), name, ValueTypes.LONG, Pipe.End.SECOND);
    assertEquals(1L, second.recv());
    sent.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aOneWayPipeReceivesAtTheFirstEndAndSendsFromTheSecond() throws Exception {
    Pipe<Long> pipe = Pipe.create(system(), name(), ValueTypes.LONG, false);
    assertFalse(pipe.first().writable());
    assertFalse(pipe.second().readable());
    pipe.second().send(3L);
    assertEquals(3L, pipe.first().recv());
    IllegalStateException receiveOnly =
        assertThrows(IllegalStateException.class, () -> pipe.first().send(1L));
    assertTrue(receiveOnly.getMessage().contains("only receives"), receiveOnly.getMessage());
    assertThrows(IllegalStateException.class, () -> pipe.second().recv());
  }

  @Test
  void endsThatDoNotMatchOrOpenTwiceSaySo() throws Exception {
    String name = name();
    Connection<Long> first = Pipe.open(system(), name, ValueTypes.LONG, Pipe.End.FIRST);
    Connection<String> second = Pipe.open(system(), name, ValueTypes.TEXT, Pipe.End.SECOND);
    IllegalStateException mismatch =
        assertThrows(IllegalStateException.class, () -> first.send(1L));
    assertTrue(
        mismatch.getMessage().contains("the other end carries text messages, this one long"),
        mismatch.getMessage());
    assertThrows(IllegalStateException.class, () -> second.recv());

    String other = name();
    Pipe.open(system(), other, ValueTypes.LONG, Pipe.End.FIRST);
    awaitRegistered(PipeEnd.serviceKey(other, Pipe.End.FIRST));
    Connection<Long> twice = Pipe.open(system(), other, ValueTypes.LONG, Pipe.End.FIRST);
    IllegalStateException duplicate =
        assertThrows(IllegalStateException.class, () -> twice.poll(Duration.ofSeconds(5)));
    assertTrue(
        duplicate
            .getMessage()
            .startsWith("end FIRST of pipe '" + other + "' is already open in this JVM"),
        duplicate.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> Pipe.open(system(), "a/b", ValueTypes.LONG, Pipe.End.FIRST));
  }

  /**
   * An end opened twice at once (neither yet on the receptionist's list when the other looked): the
   * later opening fails its calls saying so, and the earlier one works on. Both used to stay, and a
   * send of the later one waited for an other end that was not its.
   */
  @Test
  void anEndOpenedTwiceAtOnceFailsTheLaterOpeningAndTheEarlierWorksOn() throws Exception {
    for (int i = 0; i < 5; i++) {
      String name = name();
      Connection<Long> first = Pipe.open(system(), name, ValueTypes.LONG, Pipe.End.FIRST);
      Connection<Long> again = Pipe.open(system(), name, ValueTypes.LONG, Pipe.End.FIRST);
      CompletableFuture<Void> refused = again.sendAsync(2L).toCompletableFuture();
      ExecutionException failed =
          assertThrows(ExecutionException.class, () -> refused.get(10, TimeUnit.SECONDS));
      assertTrue(failed.getCause() instanceof IllegalStateException, failed.toString());
      assertTrue(
          failed
              .getCause()
              .getMessage()
              .startsWith("end FIRST of pipe '" + name + "' is already open in this JVM"),
          failed.getCause().getMessage());
      Connection<Long> second = Pipe.open(system(), name, ValueTypes.LONG, Pipe.End.SECOND);
      first.send(1L);
      assertEquals(1L, second.recv());
      second.send(3L);
      assertEquals(3L, first.recv());
      assertFalse(second.poll(Duration.ofMillis(100)), "the refused send was not sent");
    }
  }

  /**
   * Every message of a pipe travels alone: one over the budget fails its send at once, and says
   * why.
   */
  @Test
  void aMessageLargerThanOneMessageCarriesFailsItsSendAtOnce() throws Exception {
    Pipe<String> pipe = Pipe.create(system(), name(), ValueTypes.TEXT, true);
    String ascii =
        "a".repeat(40_000); // over the budget at 3 bytes a character, under it as written
    pipe.first().send(ascii);
    assertEquals(ascii, pipe.second().recv());
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> pipe.first().send("é".repeat(40_000)));
    assertTrue(
        refused.getMessage().contains("takes 800")
            && refused
                .getMessage()
                .endsWith(
                    "bytes on the wire, more than the 65536 one message carries"
                        + " (clusterpool.pipe.max-message-bytes)"),
        refused.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> pipe.second().sendAsync("é".repeat(40_000)),
        "every way in");
    assertFalse(pipe.second().poll(Duration.ofMillis(200)), "nothing was sent");
  }

  private void awaitRegistered(ServiceKey<PipeEnd.Command> key) throws InterruptedException {
    TestProbe<Receptionist.Listing> probe = testKit.createTestProbe();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      system().receptionist().tell(Receptionist.find(key, probe.getRef()));
      if (!probe.receiveMessage().getServiceInstances(key).isEmpty()) return;
      if (System.nanoTime() > deadline) throw new AssertionError("the end never registered");
      Thread.sleep(10);
    }
  }
}
