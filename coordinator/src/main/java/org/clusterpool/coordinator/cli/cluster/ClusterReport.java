package org.clusterpool.coordinator.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints what {@code GET /cluster} says, with the names and numbers of the state file. */
final class ClusterReport {
  private ClusterReport() {}

  /** The members: number (for {@code cluster kill}), name, roles, address, status, reachability, pid. */
  static void members(PrintWriter out, JsonNode cluster, ClusterState state) {
    TextTable table = new TextTable("#", "name", "roles", "address", "status", "reachable", "pid");
    for (JsonNode m : cluster.path("members")) {
      String address = m.path("address").asText();
      // a port may have served a killed member first and a new one since: the live one wins
      ClusterState.Member known = state.members().stream().filter(s -> s.address().equals(address))
          .min((a, b) -> Boolean.compare(a.killed(), b.killed())).orElse(null);
      List<String> roles = new ArrayList<>();
      m.path("roles").forEach(r -> roles.add(r.asText()));
      Object pid = m.path("pid").isNumber() ? m.path("pid").asLong() : known != null ? known.pid() : null;
      table.row(
          known == null || known.number() == 0 || known.killed() ? "" : known.number(),
          known == null ? "" : known.killed() ? known.name() + " (killed)" : known.name(),
          String.join(",", roles),
          address,
          m.path("status").asText(),
          m.path("reachable").asBoolean() ? "yes" : "NO",
          pid);
    }
    out.println("members (" + cluster.path("members").size() + "):");
    table.print(out, "  ");
  }

  /** The workers the coordinator knows, with what they did and hold now. */
  static void workers(PrintWriter out, JsonNode cluster) {
    JsonNode coordinator = cluster.path("coordinator");
    if (!coordinator.path("answers").asBoolean()) {
      out.println("workers: unknown: " + coordinator.path("error").asText());
      return;
    }
    TextTable table = new TextTable("worker", "node", "pid", "chunks done", "inputs done", "in flight", "async in flight");
    for (JsonNode w : cluster.path("workers")) {
      table.row(
          w.path("name").asText(),
          w.path("node").asText(),
          w.path("pid").asLong(),
          w.path("chunks_done").asLong(),
          w.path("inputs_done").asLong(),
          w.path("chunks_in_flight").asLong(),
          w.path("async_in_flight").asLong());
    }
    out.println("workers (" + cluster.path("workers").size() + "), at the coordinator on " + coordinator.path("node").asText() + ":");
    if (table.isEmpty()) out.println("  none yet");
    else table.print(out, "  ");
  }

  /** The coordinator's queue: chunks waiting for a worker, per job. */
  static void queue(PrintWriter out, JsonNode cluster) {
    if (!cluster.path("coordinator").path("answers").asBoolean()) return;
    JsonNode queue = cluster.path("queue");
    out.println("queue at the coordinator: " + queue.path("chunks_queued").asLong() + " chunks queued, "
        + queue.path("chunks_in_flight").asLong() + " in flight, " + queue.path("jobs").size() + " jobs");
    TextTable table = new TextTable("job", "task", "queued", "in flight", "inputs done", "retries");
    for (JsonNode j : queue.path("jobs")) {
      table.row(
          j.path("job").asText(),
          j.path("task").asText(),
          j.path("chunks_queued").asLong(),
          j.path("chunks_in_flight").asLong(),
          j.path("inputs_done").asLong(),
          j.path("retries").asLong());
    }
    if (!table.isEmpty()) table.print(out, "  ");
  }
}
