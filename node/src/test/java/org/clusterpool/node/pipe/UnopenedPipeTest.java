package org.clusterpool.node.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.clusterpool.node.task.ValueTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Nothing waits for ever for an other end that nobody opens: a call that has no timeout of its own
 * fails after {@code clusterpool.pipe.give-up-after} (1 s here) and names the missing end.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class UnopenedPipeTest {

  @JUnit5TestKit
  ActorTestKit testKit =
      new JUnit5TestKitBuilder()
          .withCustomConfig(
              ConfigFactory.parseString(
                      "clusterpool.pipe.resend-after = 100 ms\n"
                          + "clusterpool.pipe.give-up-after = 1 s")
                  .withFallback(ConfigFactory.load("application-test")))
          .build();

  private final AtomicInteger names = new AtomicInteger();

  private String name() {
    return "unopened" + names.incrementAndGet();
  }

  @Test
  void everyCallWithoutATimeoutFailsWhenNobodyOpensTheOtherEnd() throws Exception {
    String name = name();
    Connection<Long> first = Pipe.open(testKit.system(), name, ValueTypes.LONG, Pipe.End.FIRST);
    List<CompletableFuture<?>> calls =
        List.of(
            first.recvAsync().toCompletableFuture(),
            first.sendAsync(1L).toCompletableFuture(),
            CompletableFuture.supplyAsync(() -> blocking(() -> first.recv())),
            CompletableFuture.supplyAsync(() -> blocking(() -> first.poll(null))),
            CompletableFuture.runAsync(() -> blockingRun(() -> first.send(2L))));
    for (CompletableFuture<?> call : calls) {
      ExecutionException failed =
          assertThrows(ExecutionException.class, () -> call.get(20, TimeUnit.SECONDS));
      Throwable cause = failed.getCause();
      if (!(cause instanceof PipeUnavailableException)) cause = cause.getCause();
      assertInstanceOf(PipeUnavailableException.class, cause, failed.toString());
      assertEquals(
          "pipe '"
              + name
              + "': nobody opened its other end (SECOND) within 1 s"
              + " (clusterpool.pipe.give-up-after)",
          cause.getMessage());
    }
    // the end itself stays open: once the other end comes, it works
    Connection<Long> second = Pipe.open(testKit.system(), name, ValueTypes.LONG, Pipe.End.SECOND);
    CompletableFuture<Long> received = first.recvAsync().toCompletableFuture();
    assertTrue(second.send(3L, Duration.ofSeconds(20)));
    assertEquals(3L, received.get(20, TimeUnit.SECONDS));
    assertTrue(first.send(4L, Duration.ofSeconds(20)));
    assertTrue(second.poll(Duration.ofSeconds(20)));
    assertEquals(4L, second.recv(), "the sends that failed were not sent");
  }

  /** A blocking call made on another thread; what it throws comes back wrapped. */
  private static <T> T blocking(BlockingCall<T> call) {
    try {
      return call.call();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void blockingRun(BlockingRun run) {
    blocking(
        () -> {
          run.run();
          return null;
        });
  }

  private interface BlockingCall<T> {
    T call() throws Exception;
  }

  private interface BlockingRun {
    void run() throws Exception;
  }
}
