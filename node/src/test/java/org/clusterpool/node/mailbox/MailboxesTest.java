package org.clusterpool.node.mailbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The mailboxes of config/mailboxes.conf at work: a drop counted exactly, work pulling losing
 * nothing, priority, stash.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class MailboxesTest {

  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  private Config config() {
    return testKit.system().settings().config();
  }

  private record Run(FastProducer.Sent sent, long processed, long dropped) {}

  /**
   * A slow consumer behind {@code mailbox}, a fast producer, {@code count} messages; what was
   * processed and dropped.
   */
  private Run run(String mailbox, boolean pull, long count) throws Exception {
    CompletableFuture<Long> finished = new CompletableFuture<>();
    ActorRef<SlowConsumer.Command> consumer =
        testKit.spawn(
            SlowConsumer.create(
                Duration.ofMillis(1),
                Mailboxes.capacity(config(), mailbox),
                Mailboxes.consumerGiveUpAfter(config()),
                Mailboxes.CONSUMER_GIVE_UP_AFTER,
                finished),
            Mailboxes.blockingWithMailbox(config(), mailbox));
    CompletableFuture<Void> counting = new CompletableFuture<>();
    ActorRef<DropCounter.Command> counter =
        testKit.spawn(
            DropCounter.create(consumer, SlowConsumer.Work.class, () -> counting.complete(null)));
    counting.get(10, TimeUnit.SECONDS);
    ActorRef<FastProducer.Command> producer = testKit.spawn(FastProducer.create());
    TestProbe<FastProducer.Sent> sent = testKit.createTestProbe();
    producer.tell(
        pull
            ? new FastProducer.Pull(consumer, count, sent.getRef())
            : new FastProducer.Flood(consumer, count, sent.getRef()));
    FastProducer.Sent done = sent.receiveMessage(Duration.ofSeconds(30));
    while (!finished.isDone()) {
      producer.tell(
          FastProducer.Finish.INSTANCE); // a full mailbox may drop it: again until it gets through
      try {
        finished.get(100, TimeUnit.MILLISECONDS);
      } catch (TimeoutException notYet) {
        // the consumer is still working through its mailbox
      }
    }
    TestProbe<DropCounter.Counted> dropped = testKit.createTestProbe();
    counter.tell(new DropCounter.Count(dropped.getRef()));
    return new Run(done, finished.get(), dropped.receiveMessage().dropped());
  }

  @Test
  void aBoundedMailboxDropsWhatDoesNotFitAndEveryDropIsCounted() throws Exception {
    Run run = run(Mailboxes.BOUNDED_DROP, false, 3000);
    assertEquals(3000, run.sent().sent());
    assertTrue(
        run.dropped() > 0, "a mailbox of 100 flooded with 3000 messages dropped some: " + run);
    assertEquals(
        3000 - run.processed(),
        run.dropped(),
        "every message was processed or counted as dropped: " + run);
  }

  @Test
  void pullingTheWorkThroughTheSameBoundLosesNothing() throws Exception {
    Run run = run(Mailboxes.BOUNDED_PULL, true, 500);
    assertEquals(500, run.processed(), run.toString());
    assertEquals(0, run.dropped(), run.toString());
    assertTrue(run.sent().demands() >= 500 / 100, "the producer sent only on demand: " + run);
  }

  @Test
  void anUrgentMessageOvertakesTheOnesWaitingInAPriorityMailbox() {
    ActorRef<Recorder.Command> recorder =
        testKit.spawn(Recorder.create(), Mailboxes.selector(config(), Mailboxes.PRIORITY));
    TestProbe<Recorder.Started> started = testKit.createTestProbe();
    recorder.tell(
        new Recorder.Busy(2000, started.getRef())); // room for the next tells on a loaded machine
    started.expectMessage(
        Recorder.Started.INSTANCE); // while it works, the rest piles up in the mailbox
    for (int i = 1; i <= 3; i++) recorder.tell(new Recorder.Job("job-" + i));
    recorder.tell(new Recorder.UrgentJob("urgent"));
    TestProbe<Recorder.Log> log = testKit.createTestProbe();
    recorder.tell(new Recorder.GetLog(log.getRef()));
    assertEquals(
        List.of("busy", "urgent", "job-1", "job-2", "job-3"),
        log.receiveMessage(Duration.ofSeconds(10)).handled());
  }

  @Test
  void messagesThatComeDuringInitialisationAreStashedThenHandledInOrder() {
    ActorRef<SlowStarter.Command> starter =
        testKit.spawn(SlowStarter.create(Duration.ofMillis(300), 6));
    for (int i = 1; i <= 5; i++) starter.tell(new SlowStarter.Job("job-" + i));
    TestProbe<SlowStarter.Log> log = testKit.createTestProbe();
    starter.tell(new SlowStarter.GetLog(log.getRef()));
    starter.tell(new SlowStarter.Job("too-many")); // the 7th message: the stash holds 6
    SlowStarter.Log got = log.receiveMessage(Duration.ofSeconds(10));
    assertEquals(List.of("job-1", "job-2", "job-3", "job-4", "job-5"), got.handled());
    assertEquals(6, got.stashed());
    assertEquals(1, got.refused());
    assertTrue(got.readyAfterMillis() >= 300, "ready only after its initialisation: " + got);
  }

  @Test
  void anUnknownMailboxIsRefusedNamingTheKnownOnes() {
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> Mailboxes.selector(config(), "nope"));
    assertEquals(
        "unknown mailbox 'nope': accepted bounded-drop, bounded-pull, priority"
            + " (config/mailboxes.conf)",
        unknown.getMessage());
    assertEquals(100, Mailboxes.capacity(config(), Mailboxes.BOUNDED_DROP));
    assertEquals(Integer.MAX_VALUE, Mailboxes.capacity(config(), Mailboxes.PRIORITY));
    assertEquals(1000, Mailboxes.stashCapacity(config()));
  }
}
