package org.clusterpool.coordinator.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.clusterpool.node.handle.Inventory;
import org.clusterpool.node.pipe.PipeStats;
import org.clusterpool.node.protocol.Activity;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.queue.QueueStats;
import org.junit.jupiter.api.Test;

/**
 * While the cluster marks the coordinator's member unreachable, a snapshot does not ask it (an ask
 * would wait its whole timeout, and every page with it): here an ask would never be answered, so a
 * snapshot that asked would never come.
 */
class SnapshotsUnreachableTest {
  private static final String COORDINATOR = "pekko://clusterpool@127.0.0.1:25521";

  @Test
  void aCoordinatorOnAnUnreachableMemberIsNotAskedAndTheSnapshotSaysWhy() throws Exception {
    CutOff sources = new CutOff();
    Snapshot snapshot = new Snapshots(sources).current().get(30, TimeUnit.SECONDS);
    assertEquals(0, sources.coordinatorAsks.get(), "neither its status nor its activity was asked");
    JsonNode coordinator = snapshot.json().path("coordinator");
    assertEquals(COORDINATOR, coordinator.path("node").asText());
    assertFalse(coordinator.path("answers").asBoolean());
    assertEquals(Snapshots.UNREACHABLE, coordinator.path("error").asText());
    assertEquals(
        false,
        snapshot.json().path("members").get(0).path("reachable").asBoolean(true),
        "shown as such");
  }

  /**
   * A cluster whose coordinator's member is unreachable: an ask to it never ends, and is counted.
   */
  private static final class CutOff implements DashboardSources {
    final AtomicInteger coordinatorAsks = new AtomicInteger();

    private <T> CompletionStage<T> askCoordinator() {
      coordinatorAsks.incrementAndGet();
      return new CompletableFuture<>();
    }

    @Override
    public String mode() {
      return "cluster";
    }

    @Override
    public String self() {
      return "pekko://clusterpool@127.0.0.1:25522";
    }

    @Override
    public String coordinatorNode() {
      return COORDINATOR;
    }

    @Override
    public boolean unreachable(String address) {
      return address.equals(COORDINATOR);
    }

    @Override
    public CompletionStage<List<Member>> members(Duration timeout, int max) {
      return CompletableFuture.completedFuture(
          List.of(new Member(COORDINATOR, List.of("coordinator"), "Up", false, 42L)));
    }

    @Override
    public CompletionStage<ClusterStatus> status(Duration timeout) {
      return askCoordinator();
    }

    @Override
    public CompletionStage<Activity> activity(long afterSeq, int max, Duration timeout) {
      return askCoordinator();
    }

    @Override
    public CompletionStage<Inventory.Found<QueueStats>> queues(Duration timeout) {
      return CompletableFuture.completedFuture(new Inventory.Found<>(List.of(), 0, 0));
    }

    @Override
    public CompletionStage<Inventory.Found<PipeStats>> pipes(Duration timeout) {
      return CompletableFuture.completedFuture(new Inventory.Found<>(List.of(), 0, 0));
    }

    @Override
    public List<ApiJobRow> apiJobs() {
      return List.of();
    }
  }
}
