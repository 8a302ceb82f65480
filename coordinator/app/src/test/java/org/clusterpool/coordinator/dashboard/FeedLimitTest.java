package org.clusterpool.coordinator.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.clusterpool.node.handle.Inventory;
import org.clusterpool.node.pipe.PipeStats;
import org.clusterpool.node.protocol.Activity;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.queue.QueueStats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The feed's limit of {@link Feed#MAX_CONNECTIONS} holds from the moment a connection is accepted,
 * before its stream starts: a burst of connects cannot pass it; a slot comes back when its stream
 * ends, or when it never starts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeedLimitTest {
  private final ActorTestKit testKit =
      ActorTestKit.create("feed-limit", ConfigFactory.load("application-test"));
  private final Snapshots snapshots = new Snapshots(new NoCluster());

  @AfterAll
  void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aBurstOfConnectsGetsNoMoreThanTheLimitAndAnEndedStreamGivesItsSlotBack() throws Exception {
    Feed feed = new Feed(snapshots, Duration.ofMinutes(10));
    ExecutorService threads = Executors.newFixedThreadPool(8);
    List<Future<Optional<Source<ByteString, NotUsed>>>> tries = new ArrayList<>();
    try {
      for (int i = 0; i < 3 * Feed.MAX_CONNECTIONS; i++) tries.add(threads.submit(feed::connect));
      List<Source<ByteString, NotUsed>> accepted = new ArrayList<>();
      for (Future<Optional<Source<ByteString, NotUsed>>> t : tries)
        t.get(30, TimeUnit.SECONDS).ifPresent(accepted::add);
      assertEquals(
          Feed.MAX_CONNECTIONS,
          accepted.size(),
          "none of the streams has started, yet the limit holds");
      assertEquals(Feed.MAX_CONNECTIONS, feed.open());
      assertTrue(feed.connect().isEmpty(), "full");

      accepted.get(0).runWith(Sink.cancelled(), testKit.system()); // the page goes at once
      awaitValue(Feed.MAX_CONNECTIONS - 1, feed::open, "the ended stream's slot comes back");
      assertTrue(feed.connect().isPresent(), "a new page takes the slot");
      assertTrue(feed.connect().isEmpty(), "and no more");
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aSlotWhoseStreamNeverStartsComesBack() throws Exception {
    Feed feed = new Feed(snapshots, Duration.ofMillis(200));
    for (int i = 0; i < Feed.MAX_CONNECTIONS; i++) assertTrue(feed.connect().isPresent());
    assertTrue(feed.connect().isEmpty(), "full");
    awaitValue(0, feed::open, "responses never sent hold no slot");
    assertTrue(feed.connect().isPresent());
  }

  private static void awaitValue(int expected, IntSupplier value, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (value.getAsInt() != expected && System.nanoTime() < deadline) Thread.sleep(20);
    assertEquals(expected, value.getAsInt(), what);
  }

  /** Sources that never answer: these tests start no snapshot that needs them. */
  private static final class NoCluster implements DashboardSources {
    private static <T> CompletionStage<T> none() {
      return CompletableFuture.failedFuture(new IllegalStateException("no cluster in this test"));
    }

    @Override
    public String mode() {
      return "embedded";
    }

    @Override
    public String self() {
      return "pekko://feed-limit";
    }

    @Override
    public String coordinatorNode() {
      return null;
    }

    @Override
    public boolean unreachable(String address) {
      return false;
    }

    @Override
    public CompletionStage<List<Member>> members(Duration timeout, int max) {
      return none();
    }

    @Override
    public CompletionStage<ClusterStatus> status(Duration timeout) {
      return none();
    }

    @Override
    public CompletionStage<Activity> activity(long afterSeq, int max, Duration timeout) {
      return none();
    }

    @Override
    public CompletionStage<Inventory.Found<QueueStats>> queues(Duration timeout) {
      return none();
    }

    @Override
    public CompletionStage<Inventory.Found<PipeStats>> pipes(Duration timeout) {
      return none();
    }

    @Override
    public List<ApiJobRow> apiJobs() {
      return List.of();
    }
  }
}
