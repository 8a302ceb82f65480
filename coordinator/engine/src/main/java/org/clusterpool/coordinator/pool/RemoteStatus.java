package org.clusterpool.coordinator.pool;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.protocol.WorkerInfo;
import org.clusterpool.node.task.TaskKind;

/**
 * The coordinator's view as {@code GET /cluster} gives it, read back into the {@link ClusterStatus}
 * an embedded pool returns: workers, jobs, task versions and counters. A coordinator that did not
 * answer the API in time is a status with no worker.
 */
final class RemoteStatus {
  private RemoteStatus() {}

  static ClusterStatus of(JsonNode json) {
    List<ClusterStatus.WorkerStatus> workers = new ArrayList<>();
    for (JsonNode w : json.path("workers")) {
      workers.add(
          new ClusterStatus.WorkerStatus(
              new WorkerInfo(
                  w.path("name").asText(), w.path("node").asText(), w.path("pid").asLong()),
              w.path("chunks_done").asLong(),
              w.path("inputs_done").asLong(),
              w.path("chunks_in_flight").asInt(),
              w.path("async_in_flight").asInt(),
              w.path("cpu_capacity").asInt(),
              w.path("cpu_batches_out").asInt()));
    }
    List<ClusterStatus.JobStatus> jobs = new ArrayList<>();
    for (JsonNode j : json.path("queue").path("jobs")) {
      jobs.add(
          new ClusterStatus.JobStatus(
              j.path("job").asText(),
              j.path("task").asText(),
              j.path("chunks_queued").asInt(),
              j.path("chunks_in_flight").asInt(),
              j.path("inputs_done").asLong(),
              j.path("retries").asInt()));
    }
    JsonNode tasks = json.path("tasks");
    List<ClusterStatus.TaskVersion> versions = new ArrayList<>();
    for (JsonNode v : tasks.path("versions")) {
      List<String> on = new ArrayList<>();
      v.path("on").forEach(node -> on.add(node.asText()));
      versions.add(
          new ClusterStatus.TaskVersion(
              v.path("task").asText(),
              kind(v.path("kind").asText()),
              v.path("fingerprint").asText(),
              v.path("nodes").asInt(),
              on));
    }
    JsonNode f = json.path("faults");
    ClusterStatus.Counters counters =
        new ClusterStatus.Counters(
            incarnation(f.path("coordinator_incarnation").asText("0")),
            f.path("late_results_dropped").asLong(),
            f.path("bad_messages_dropped").asLong(),
            f.path("lost_answers_recovered").asLong(),
            f.path("units_retried").asLong(),
            f.path("workers_lost").asLong(),
            f.path("jobs_failed_for_no_worker").asLong());
    return new ClusterStatus(
        workers,
        json.path("workers_not_listed").asInt(),
        jobs,
        0,
        counters,
        tasks.path("worker_nodes").asInt(),
        versions,
        tasks.path("versions_not_listed").asInt(),
        tasks.path("worker_nodes_not_said").asInt());
  }

  private static TaskKind kind(String label) {
    for (TaskKind kind : TaskKind.values()) if (kind.label().equals(label)) return kind;
    return TaskKind.CPU;
  }

  private static long incarnation(String hex) {
    try {
      return Long.parseUnsignedLong(hex, 16);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
