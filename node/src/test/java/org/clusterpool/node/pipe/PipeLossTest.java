package org.clusterpool.node.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.EOFException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.typed.ActorRef;
import org.clusterpool.node.handle.Faults;
import org.clusterpool.node.handle.ItemBudget;
import org.clusterpool.node.handle.PendingCalls;
import org.clusterpool.node.task.ValueTypes;
import org.clusterpool.node.wire.Values;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A pipe whose ends lose or repeat chosen messages on their way in ({@link Faults} around each
 * end's actor): a lost message, credit, goodbye or handshake is sent again, a repeated one is taken
 * once, the window never shrinks or grows past the buffer, and an end whose other end falls silent
 * ends in EOF instead of waiting.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class PipeLossTest {

  @JUnit5TestKit
  ActorTestKit testKit =
      new JUnit5TestKitBuilder()
          .withCustomConfig(
              ConfigFactory.parseString(
                      """
                      clusterpool.pipe.buffer = 4
                      clusterpool.pipe.resend-after = 200 ms
                      clusterpool.pipe.give-up-after = 3 s
                      """)
                  .withFallback(ConfigFactory.load("application-test")))
          .build();

  private final AtomicInteger names = new AtomicInteger();

  /** Faults on what reaches the first end, and on what reaches the second. */
  private final class LossyPipe {
    final Faults intoFirst = new Faults();
    final Faults intoSecond = new Faults();
    final Connection<Long> first;
    final Connection<Long> second;

    LossyPipe() {
      this((intoFirst, intoSecond) -> {});
    }

    /**
     * The faults of {@code before} are in place before the ends open: the handshake is the first
     * thing they send.
     */
    LossyPipe(BiConsumer<Faults, Faults> before) {
      before.accept(intoFirst, intoSecond);
      String name = "lossy" + names.incrementAndGet();
      first = open(name, Pipe.End.FIRST, intoFirst);
      second = open(name, Pipe.End.SECOND, intoSecond);
    }

    private Connection<Long> open(String name, Pipe.End end, Faults faults) {
      PipeSettings settings = PipeSettings.fromConfig(testKit.system().settings().config());
      PendingCalls calls = new PendingCalls();
      Route route = new Route();
      ActorRef<PipeEnd.Command> actor =
          testKit.spawn(
              faults.around(
                  PipeEnd.Command.class,
                  PipeEnd.create(name, end, ValueTypes.LONG.name(), true, settings, calls, route)));
      route.bind(actor);
      ItemBudget budget =
          new ItemBudget(
              testKit.system(),
              settings.maxMessageBytes(),
              "clusterpool.pipe.max-message-bytes",
              "a message");
      return new Connection<>(actor, route, name, end, true, ValueTypes.LONG, calls, budget);
    }
  }

  /** What one end sends the other; not the calls of its own connection. */
  private static final Predicate<Object> WIRE =
      m ->
          m instanceof PipeEnd.Hello
              || m instanceof PipeEnd.FromPeer
              || m instanceof PipeEnd.PeerSync;

  private static Predicate<Object> payload(Class<? extends PipeEnd.Payload> type) {
    return m -> m instanceof PipeEnd.FromPeer from && type.isInstance(from.payload());
  }

  private static Predicate<Object> data(long value) {
    Values item = new Values.Longs(new long[] {value});
    return m ->
        m instanceof PipeEnd.FromPeer from
            && from.payload() instanceof PipeEnd.Data data
            && data.item().equals(item);
  }

  @Test
  void lostHandshakesAndMessagesAreSentAgainInOrderOnce() throws Exception {
    LossyPipe pipe =
        new LossyPipe(
            (intoFirst, intoSecond) -> {
              intoFirst.drop(m -> m instanceof PipeEnd.Hello, 1);
              intoSecond.drop(m -> m instanceof PipeEnd.Hello, 1);
              intoSecond
                  .drop(data(2), 1)
                  .drop(data(3), 1)
                  .drop(m -> m instanceof PipeEnd.PeerSync, 1);
            });
    for (long i = 0; i < 30; i++) pipe.first.sendAsync(i);
    for (long i = 0; i < 30; i++) assertEquals(i, pipe.second.recv(), "in order, each once");
    assertFalse(pipe.second.poll(Duration.ofMillis(300)), "nothing more");
    assertEquals(1, pipe.intoFirst.dropped(), "the second end's hello was lost");
    assertEquals(
        4, pipe.intoSecond.dropped(), "the first end's hello, two messages and a state were lost");
  }

  /** The buffer holds 4: the sender may have 4 messages unread, whatever became of the credits. */
  @Test
  void lostCreditsAreMadeGoodAndTheSenderGoesOnAtItsFullWindow() throws Exception {
    LossyPipe pipe = new LossyPipe();
    pipe.intoFirst.drop(
        payload(PipeEnd.Credit.class), 2); // both credits for the first 4 messages read
    for (long i = 0; i < 4; i++) assertTrue(pipe.first.send(i, Duration.ofSeconds(10)));
    for (long i = 0; i < 4; i++) assertEquals(i, pipe.second.recv());
    for (long i = 4; i < 8; i++)
      assertTrue(
          pipe.first.send(i, Duration.ofSeconds(10)), "room for 4 again, read by nobody since");
    assertFalse(pipe.first.send(8L, Duration.ofMillis(500)), "and not one more");
    assertEquals(2, pipe.intoFirst.dropped(), "both credits were lost on the way");
    for (long i = 4; i < 8; i++) assertEquals(i, pipe.second.recv());
  }

  @Test
  void repeatedCreditsAndMessagesNeverWidenTheWindowOrComeTwice() throws Exception {
    LossyPipe pipe =
        new LossyPipe(
            (intoFirst, intoSecond) -> {
              intoFirst.repeatAll(WIRE);
              intoSecond.repeatAll(WIRE);
            });
    for (int round = 0; round < 3; round++) {
      for (long i = 0; i < 4; i++)
        assertTrue(pipe.first.send(round * 10 + i, Duration.ofSeconds(10)));
      assertFalse(pipe.first.send(-1L, Duration.ofMillis(300)), "a full window of 4, never more");
      for (long i = 0; i < 4; i++)
        assertEquals(round * 10 + i, pipe.second.recv(), "each message once");
    }
    assertFalse(pipe.second.poll(Duration.ofMillis(300)), "nothing more");
    assertTrue(pipe.intoFirst.repeated() >= 6, "credits came twice: " + pipe.intoFirst.repeated());
    assertTrue(
        pipe.intoSecond.repeated() >= 12, "messages came twice: " + pipe.intoSecond.repeated());
  }

  @Test
  void aLostGoodbyeIsSentAgainAndTheReaderGetsEofAfterTheLastMessage() throws Exception {
    LossyPipe pipe = new LossyPipe();
    pipe.intoSecond.drop(payload(PipeEnd.Bye.class), 1).drop(data(1), 1);
    pipe.first.send(0L);
    pipe.first.send(1L);
    pipe.first.close(); // right after the sends: the closed end stays until the other has it all
    assertEquals(0L, pipe.second.recv());
    assertEquals(1L, pipe.second.recv());
    EOFException eof = assertThrows(EOFException.class, () -> pipe.second.recv());
    assertTrue(eof.getMessage().contains("was closed after sending 2 messages"), eof.getMessage());
    assertEquals(2, pipe.intoSecond.dropped());
  }

  @Test
  void anEndWhoseOtherEndFallsSilentGetsEofAndABrokenPipeInsteadOfWaiting() throws Exception {
    LossyPipe pipe = new LossyPipe();
    pipe.first.send(1L);
    assertEquals(1L, pipe.second.recv());
    pipe.intoFirst.dropAll(WIRE);
    EOFException eof = assertThrows(EOFException.class, () -> pipe.first.recv());
    assertTrue(
        eof.getMessage().contains("stopped answering")
            && eof.getMessage().contains("clusterpool.pipe.give-up-after"),
        eof.getMessage());
    PipeClosedException broken = assertThrows(PipeClosedException.class, () -> pipe.first.send(2L));
    assertTrue(
        broken.getMessage().startsWith("broken pipe: the other end of pipe"), broken.getMessage());
    assertTrue(pipe.intoFirst.dropped() > 0);
  }
}
