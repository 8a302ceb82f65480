package org.clusterpool.node.task.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
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
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.clusterpool.node.mailbox.SlowConsumer;
import org.clusterpool.node.pipe.PipeUnavailableException;
import org.clusterpool.node.task.TaskFailure;
import org.clusterpool.node.worker.NodeTaskContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The built-in tasks that wait for someone else (the other end of a pipe, a producer) end when
 * nobody comes: with a one-line error that names who did not come, after the bound of their setting
 * (1 s here), never waiting for ever.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class WaitingTasksTest {

  @JUnit5TestKit
  ActorTestKit testKit =
      new JUnit5TestKitBuilder()
          .withCustomConfig(
              ConfigFactory.parseString(
                      "clusterpool.pipe.resend-after = 100 ms\n"
                          + "clusterpool.pipe.give-up-after = 1 s\n"
                          + "clusterpool.mailboxes.consumer-give-up-after = 1 s")
                  .withFallback(ConfigFactory.load("application-test")))
          .build();

  private final AtomicInteger names = new AtomicInteger();

  private String name(String prefix) {
    return prefix + names.incrementAndGet();
  }

  /** A node's context around the test kit's actor system. */
  private NodeTaskContext context() {
    ActorSystem<?> system = testKit.system();
    Map<String, Long> globals = new HashMap<>();
    return new NodeTaskContext() {
      @Override
      public ActorSystem<?> system() {
        return system;
      }

      @Override
      public String workerName() {
        return "worker-test";
      }

      @Override
      public String nodeAddress() {
        return system.address().toString();
      }

      @Override
      public long pid() {
        return ProcessHandle.current().pid();
      }

      @Override
      public String jobId() {
        return "j";
      }

      @Override
      public long inputIndex() {
        return 0;
      }

      @Override
      public boolean isCancelled() {
        return false;
      }

      @Override
      public boolean hostsCoordinator() {
        return true;
      }

      @Override
      public CompletableFuture<Void> sleep(Duration delay) {
        return CompletableFuture.runAsync(
            () -> {}, CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS));
      }

      @Override
      public Map<String, Long> globals() {
        return globals;
      }
    };
  }

  private static Throwable failure(CompletableFuture<?> task) {
    ExecutionException failed =
        assertThrows(ExecutionException.class, () -> task.get(20, TimeUnit.SECONDS));
    return failed.getCause();
  }

  @Test
  void pipeEchoFailsAndSaysSoWhenNobodyOpensTheOtherEnd() throws Exception {
    String pipe = name("nosuch");
    Throwable error =
        failure(
            BuiltinTasks.PIPE_ECHO
                .apply(new PipeEcho.Args(pipe, 1), context())
                .toCompletableFuture());
    assertInstanceOf(PipeUnavailableException.class, error, error.toString());
    assertEquals(
        "pipe '"
            + pipe
            + "': nobody opened its other end (FIRST) within 1 s (clusterpool.pipe.give-up-after)",
        error.getMessage());
  }

  @Test
  void mailboxConsumerFailsAndSaysSoWhenNoProducerComes() throws Exception {
    String name = name("c");
    Throwable error =
        failure(
            BuiltinTasks.MAILBOX_CONSUMER
                .apply(new MailboxConsumer.Args(name, "bounded-drop", 0), context())
                .toCompletableFuture());
    assertInstanceOf(TaskFailure.class, error, error.toString());
    assertEquals(
        "mailbox-consumer '"
            + name
            + "' (bounded-drop): no producer sent it anything within 1 s"
            + " (clusterpool.mailboxes.consumer-give-up-after)",
        error.getMessage());
  }

  @Test
  void mailboxConsumerFailsAndSaysSoWhenItsProducerGoesAway() throws Exception {
    String name = name("c");
    CompletableFuture<MailboxConsumer.Report> task =
        BuiltinTasks.MAILBOX_CONSUMER
            .apply(new MailboxConsumer.Args(name, "bounded-drop", 0), context())
            .toCompletableFuture();
    ActorRef<SlowConsumer.Command> consumer = find(SlowConsumer.serviceKey(name));
    for (long i = 0; i < 3; i++) consumer.tell(new SlowConsumer.Work(i));
    Throwable error = failure(task);
    assertInstanceOf(TaskFailure.class, error, error.toString());
    assertEquals(
        "mailbox-consumer '"
            + name
            + "' (bounded-drop): its producer sent nothing more for 1 s after 3 messages, and no"
            + " Finish (clusterpool.mailboxes.consumer-give-up-after)",
        error.getMessage());
  }

  @Test
  void mailboxConsumerToldToFinishAtOnceProcessedNothing() throws Exception {
    String name = name("c");
    CompletableFuture<MailboxConsumer.Report> task =
        BuiltinTasks.MAILBOX_CONSUMER
            .apply(new MailboxConsumer.Args(name, "bounded-drop", 0), context())
            .toCompletableFuture();
    find(SlowConsumer.serviceKey(name)).tell(SlowConsumer.Finish.INSTANCE);
    MailboxConsumer.Report report = task.get(20, TimeUnit.SECONDS);
    assertEquals(0, report.processed());
    assertEquals(0, report.dropped());
  }

  private <T> ActorRef<T> find(ServiceKey<T> key) throws InterruptedException {
    TestProbe<Receptionist.Listing> probe = testKit.createTestProbe();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      testKit.system().receptionist().tell(Receptionist.find(key, probe.getRef()));
      Set<ActorRef<T>> found = probe.receiveMessage().getServiceInstances(key);
      if (!found.isEmpty()) return found.iterator().next();
      if (System.nanoTime() > deadline) throw new AssertionError("never registered: " + key);
      Thread.sleep(10);
    }
  }
}
