package org.clusterpool.coordinator.members;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.coordinator.pool.Inputs;
import org.clusterpool.coordinator.pool.JobListener;
import org.clusterpool.coordinator.pool.ResultIterator;
import org.clusterpool.coordinator.pool.TaskFailedException;
import org.clusterpool.coordinator.testcluster.Await;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.launcher.JvmProcess;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.task.LongTask;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults outside the named ones (a dead or frozen JVM), across real JVMs: messages that would pass
 * the transport's frame, inputs by the million, reachability blips, a worker frozen past its
 * chunks' deadline. Every job ends, and every result comes once.
 */
@Timeout(300)
class FaultsAcrossJvmsTest {
  private static final LongTask SLOW_SQUARE =
      (LongTask) TaskCatalog.shared().get("test-slow-square");
  private static final LongTask FAIL_LOUDLY =
      (LongTask) TaskCatalog.shared().get("test-fail-loudly");

  private final List<LocalCluster> clusters = new CopyOnWriteArrayList<>();

  private LocalCluster start(int nodes, int workersPerNode) throws Exception {
    LocalCluster cluster =
        LocalCluster.start(nodes, workersPerNode, Files.createTempDirectory("clusterpool-faults"));
    clusters.add(cluster);
    return cluster;
  }

  @AfterEach
  void stopEverything() {
    for (LocalCluster cluster : clusters) cluster.close();
    for (LocalCluster cluster : clusters) {
      for (JvmProcess node : cluster.nodes()) assertFalse(node.isAlive(), node + " still runs");
    }
  }

  @Test
  void aChunkWhoseEveryInputFailsWithMoreErrorsThanAFrameEndsTheJobAndTheNextJobRuns()
      throws Exception {
    LocalCluster cluster = start(1, 1);
    ClusterPool pool = cluster.pool();
    int n = 4000; // about 6 kB an error: 24 MB of errors in one chunk, twelve times Artery's frame
    BitSet failed = new BitSet(n);
    String where = null;
    try (ResultIterator<Long> results = pool.imap(FAIL_LOUDLY, Inputs.range(0, n - 1), n)) {
      for (int i = 0; i < n; i++) {
        assertTrue(results.hasNext());
        TaskFailedException error =
            org.junit.jupiter.api.Assertions.assertThrows(TaskFailedException.class, results::next);
        assertFalse(
            failed.get((int) error.position()),
            "the error of input " + error.position() + " came once");
        failed.set((int) error.position());
        assertTrue(
            error
                .remoteError()
                .message()
                .startsWith("input " + error.position() + " failed loudly"));
        where = error.remoteError().where();
      }
      assertFalse(results.hasNext());
    }
    assertEquals(n, failed.cardinality());
    assertTrue(
        where.contains("pid " + cluster.nodes().get(0).pid()),
        "the errors came from the worker JVM: " + where);
    assertEquals(
        List.of(1L, 4L, 9L),
        pool.map(BuiltinTasks.SQUARE, List.of(1L, 2L, 3L)),
        "the next job runs");
  }

  @Test
  void millionsOfListedInputsAcrossJvmsEachGiveOneResult() throws Exception {
    LocalCluster cluster = start(2, 1);
    int n = 2_000_000;
    List<Long> inputs = new ArrayList<>(n);
    for (int i = 0; i < n; i++)
      inputs.add((long) i * 7 % 3_000_000_000L - 1_000_000); // listed: not a range
    List<Long> squares = cluster.pool().map(BuiltinTasks.SQUARE, inputs);
    assertEquals(n, squares.size());
    for (int i = 0; i < n; i++)
      assertEquals(inputs.get(i) * inputs.get(i), squares.get(i), "input " + i);
  }

  @Test
  void reachabilityBlipsNeverLetTheCoordinatorCountMoreCreditThanAWorkerStated() throws Exception {
    LocalCluster cluster = start(2, 2);
    AtomicLong unreachable = new AtomicLong();
    ActorRef<ClusterEvent.UnreachableMember> watcher =
        cluster
            .coordinator()
            .system()
            .systemActorOf(
                Behaviors.receive(ClusterEvent.UnreachableMember.class)
                    .onAnyMessage(
                        event -> {
                          unreachable.incrementAndGet();
                          return Behaviors.same();
                        })
                    .build(),
                "blip-watcher",
                org.apache.pekko.actor.typed.Props.empty());
    Cluster.get(cluster.coordinator().system())
        .subscriptions()
        .tell(Subscribe.create(watcher, ClusterEvent.UnreachableMember.class));

    // 30 s of naps on four workers, longer while two of them are frozen: it outlasts the three
    // blips (8 s each) with room to spare, and the loop below stops early if it does not
    int n = 6000;
    CompletableFuture<List<Long>> job =
        cluster.pool().mapAsync(SLOW_SQUARE, Inputs.range(1, n), 3).toCompletableFuture();
    JvmProcess blinking = cluster.nodes().get(0);
    List<String> overdrawn = new CopyOnWriteArrayList<>();
    Supplier<Void> check =
        () -> {
          for (ClusterStatus.WorkerStatus w : cluster.status().workers()) {
            if (w.cpuBatchesOut() > w.cpuCapacity())
              overdrawn.add(w.info().label() + ": " + w.cpuBatchesOut() + " > " + w.cpuCapacity());
          }
          return null;
        };
    // 5 s: past the failure detector's patience (3 s of silence), short of the downing (3 s of
    // unreachability more).
    // The detector learns from each blip and tolerates longer ones after it: the first blip is the
    // one it sees.
    for (int blip = 0; blip < 3 && !job.isDone(); blip++) {
      blinking.freeze();
      for (int waited = 0; waited < 5000; waited += 250) {
        Await.pause(250);
        check.get();
      }
      blinking.resume();
      for (int i = 0; i < 12; i++) {
        Await.pause(250);
        check.get();
      }
    }
    List<Long> out = job.get(180, TimeUnit.SECONDS);
    for (int i = 0; i < n; i++)
      assertEquals((long) (i + 1) * (i + 1), out.get(i), "input " + (i + 1));
    assertTrue(
        overdrawn.isEmpty(),
        "the coordinator counted more batches out than a worker takes: " + overdrawn);
    assertTrue(unreachable.get() > 0, "the blips made the worker JVM unreachable at least once");
  }

  @Test
  void aWorkerFrozenPastItsChunksDeadlineHasThemRunElsewhereAndItsLateResultsDropped()
      throws Exception {
    System.setProperty("clusterpool.chunk.timeout-min", "1 s");
    System.setProperty("clusterpool.chunk.timeout-factor", "2");
    ConfigFactory.invalidateCaches();
    LocalCluster cluster;
    try {
      cluster = start(2, 1);
    } finally {
      System.clearProperty("clusterpool.chunk.timeout-min");
      System.clearProperty("clusterpool.chunk.timeout-factor");
      ConfigFactory.invalidateCaches();
    }
    List<String> retries = new CopyOnWriteArrayList<>();
    AtomicLong done = new AtomicLong();
    JobListener listener =
        new JobListener() {
          @Override
          public void progress(String jobId, long d, long total) {
            done.set(d);
          }

          @Override
          public void chunkRetried(String jobId, long seq, int size, String reason) {
            retries.add(reason);
          }
        };
    int n = 400;
    CompletableFuture<List<Long>> job =
        cluster
            .pool()
            .mapAsync(SLOW_SQUARE, Inputs.range(1, n), 10, listener)
            .toCompletableFuture();
    Await.until("progress", () -> done.get() > 40);
    JvmProcess frozen = cluster.nodes().get(0);
    long lateBefore = cluster.status().counters().lateResultsDropped();
    frozen.freeze(); // short of the failure detector's patience: nobody finds it unreachable, its
    // chunks pass their deadline
    int held;
    try {
      held =
          cluster.status().workers().stream()
              .filter(w -> w.info().pid() == frozen.pid())
              .mapToInt(ClusterStatus.WorkerStatus::chunksInFlight)
              .sum();
      Await.pause(2500);
    } finally {
      frozen.resume();
    }
    List<Long> out = job.get(180, TimeUnit.SECONDS);
    for (int i = 0; i < n; i++)
      assertEquals((long) (i + 1) * (i + 1), out.get(i), "input " + (i + 1));
    assertTrue(held > 0, "the frozen JVM held chunks when it froze");
    String port = ":" + frozen.spec().args().get(1);
    assertTrue(
        retries.stream().anyMatch(r -> r.contains("deadline") && r.contains(port)),
        "its chunks ran again after their deadline on it: " + retries);
    Await.until(
        "its late results, once it woke up, to be dropped",
        () -> cluster.status().counters().lateResultsDropped() > lateBefore);
    assertTrue(frozen.isAlive(), "it was never unreachable long enough to be downed");
  }
}
