package org.clusterpool.coordinator.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.clusterpool.coordinator.cli.CommandFailure;
import org.clusterpool.coordinator.http.ApiClient;

/**
 * Waits, within a bound, until new worker nodes have all their workers at the coordinator, asking the HTTP
 * API ({@code GET /cluster}) a few times a second. A JVM that exits meanwhile ends the wait at once, with its
 * log file named.
 */
final class ClusterWait {
  private ClusterWait() {}

  private static final long POLL_MILLIS = 250;

  /**
   * Returns the last {@code GET /cluster} answer, once every node of {@code joining} has its {@code workersPerNode}
   * workers at the coordinator and has told its pid.
   */
  static JsonNode forWorkers(
      ApiClient api, List<ClusterState.Member> watched, List<ClusterState.Member> joining, int workersPerNode,
      Duration timeout, Path logs) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastProblem = "the HTTP API did not answer yet";
    while (true) {
      for (ClusterState.Member member : watched) {
        if (!Processes.alive(member)) {
          throw new CommandFailure(member.name() + " (pid " + member.pid() + ") exited while the cluster formed; see "
              + logs.resolve(member.name() + ".log"));
        }
      }
      try {
        JsonNode cluster = api.get("/cluster");
        int missing = 0;
        int silent = 0;
        for (ClusterState.Member node : joining) {
          missing += Math.max(0, workersPerNode - workersOn(cluster, node));
          if (!reportsPid(cluster, node)) silent++;
        }
        if (missing == 0 && silent == 0 && cluster.path("coordinator").path("answers").asBoolean()) return cluster;
        lastProblem = missing > 0
            ? missing + " of " + joining.size() * workersPerNode + " workers had not reached the coordinator"
            : silent + " nodes had not told their pid yet";
      } catch (ApiClient.Unreachable | ApiClient.Failure e) {
        lastProblem = e.getMessage();
      }
      if (System.nanoTime() > deadline) {
        throw new CommandFailure("the cluster did not form within " + timeout.toSeconds() + " s (" + lastProblem
            + "); see the logs in " + logs);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CommandFailure("interrupted while the cluster formed");
      }
    }
  }

  /** The member is up, and its reporter answered (so 'status' shows its pid). */
  private static boolean reportsPid(JsonNode cluster, ClusterState.Member node) {
    for (JsonNode member : cluster.path("members")) {
      if (member.path("address").asText().equals(node.address())) return member.path("pid").isNumber();
    }
    return false;
  }

  private static int workersOn(JsonNode cluster, ClusterState.Member node) {
    int count = 0;
    for (JsonNode worker : cluster.path("workers")) if (worker.path("node").asText().equals(node.address())) count++;
    return count;
  }
}
