package org.clusterpool.coordinator.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.clusterpool.coordinator.connect.ClusterState;

/** Prints what {@code GET /cluster} says, with the names and numbers of the state file. */
final class ClusterReport {
  private ClusterReport() {}

  /**
   * The members: number (for {@code cluster kill}), name, roles, address, status, reachability,
   * pid.
   */
  static void members(PrintWriter out, JsonNode cluster, ClusterState state) {
    TextTable table = new TextTable("#", "name", "roles", "address", "status", "reachable", "pid");
    for (JsonNode m : cluster.path("members")) {
      String address = m.path("address").asText();
      // a port may have served a JVM that ended first and a new one since: the running one wins
      ClusterState.Member known =
          state.members().stream()
              .filter(s -> s.address().equals(address))
              .min((a, b) -> Boolean.compare(!a.running(), !b.running()))
              .orElse(null);
      List<String> roles = new ArrayList<>();
      m.path("roles").forEach(r -> roles.add(r.asText()));
      Object pid =
          m.path("pid").isNumber() ? m.path("pid").asLong() : known != null ? known.pid() : null;
      table.row(
          known == null || known.number() == 0 ? "" : known.number(),
          known == null
              ? ""
              : known.running() ? known.name() : known.name() + " (" + known.status() + ")",
          String.join(",", roles),
          address,
          m.path("status").asText(),
          m.path("reachable").asBoolean() ? "yes" : "NO",
          pid);
    }
    out.println("members (" + cluster.path("members").size() + "):");
    table.print(out, "  ");
  }

  /**
   * The worker JVMs as their supervisor (the coordinator JVM) last wrote them: pid, state, restarts
   * and how the last JVM of each ended; then, for a node that is not running, the last lines of its
   * log, which usually say why.
   */
  static void nodes(PrintWriter out, ClusterState state) {
    TextTable table = new TextTable("#", "name", "pid", "state", "restarts", "last exit");
    Instant now = Instant.now();
    for (ClusterState.Member node : state.workers()) {
      table.row(
          node.number(),
          node.name(),
          node.running() ? node.pid() : null,
          node.status(),
          node.restarts(),
          node.lastExit().map(e -> lastExit(e, node.running(), now)).orElse(null));
    }
    int downed = state.workers().stream().mapToInt(ClusterState.Member::downedOnExit).sum();
    out.println(
        "worker JVMs, supervised by the coordinator JVM ("
            + (state.restart()
                ? "a JVM that ends is replaced"
                : "--no-restart: a JVM that ends stays dead")
            + "; downed at once on their end, without waiting for the failure detector: "
            + downed
            + "):");
    if (table.isEmpty()) out.println("  none");
    else table.print(out, "  ");
    for (ClusterState.Member node : state.workers()) {
      if (node.running() || node.lastExit().isEmpty() || node.lastExit().get().logTail().isEmpty())
        continue;
      out.println(
          "  the log of "
              + node.name()
              + " ("
              + Path.of(state.logs()).resolve(node.name() + ".log")
              + ") ends with:");
      for (String line : node.lastExit().get().logTail()) out.println("    " + line);
    }
  }

  /**
   * {@code pid 4242, code 137 / killed after 12 s, 3 s ago: downed at once, replaced after 0.5 s}.
   */
  private static String lastExit(ClusterState.Exit exit, boolean replacedNow, Instant now) {
    String when =
        seconds(Duration.ofMillis(Math.max(0, Duration.between(exit.at(), now).toMillis())));
    return (exit.pid() > 0 ? "pid " + exit.pid() + ", " : "")
        + exit.cause()
        + " after "
        + seconds(Duration.ofMillis(exit.uptimeMillis()))
        + ", "
        + when
        + " ago: "
        + exit.member()
        + ", "
        + (!exit.replaced()
            ? "not replaced"
            : (replacedNow ? "replaced after " : "starts again after ")
                + seconds(Duration.ofMillis(exit.restartDelayMillis())));
  }

  /** {@code 0.5 s}, {@code 12 s}, {@code 3 min 20 s}. */
  static String seconds(Duration d) {
    long millis = d.toMillis();
    if (millis < 10_000)
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0).replace(".0 s", " s");
    long s = d.toSeconds();
    if (s < 120) return s + " s";
    if (s < 7200) return (s / 60) + " min " + (s % 60) + " s";
    return (s / 3600) + " h " + (s % 3600 / 60) + " min";
  }

  /** The workers the coordinator knows, with what they did and hold now. */
  static void workers(PrintWriter out, JsonNode cluster) {
    JsonNode coordinator = cluster.path("coordinator");
    if (!coordinator.path("answers").asBoolean()) {
      out.println("workers: unknown: " + coordinator.path("error").asText());
      return;
    }
    TextTable table =
        new TextTable(
            "worker", "node", "pid", "chunks done", "inputs done", "in flight", "async in flight");
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
    out.println(
        "workers ("
            + cluster.path("workers").size()
            + "), at the coordinator on "
            + coordinator.path("node").asText()
            + ":");
    if (table.isEmpty()) out.println("  none yet");
    else table.print(out, "  ");
  }

  /**
   * The tasks of the worker nodes: how many, and each name that the nodes have at more than one
   * version, with the nodes of each version (a job runs only on the nodes of its own version).
   */
  static void tasks(PrintWriter out, JsonNode cluster) {
    if (!cluster.path("coordinator").path("answers").asBoolean()) return;
    JsonNode tasks = cluster.path("tasks");
    Set<String> names = new TreeSet<>();
    tasks.path("versions").forEach(v -> names.add(v.path("task").asText()));
    List<String> differ = new ArrayList<>();
    tasks.path("versions_differ").forEach(name -> differ.add(name.asText()));
    out.println(
        "tasks on the "
            + tasks.path("worker_nodes").asInt()
            + " worker nodes: "
            + names.size()
            + (differ.isEmpty()
                ? ", each at one version"
                : "; at more than one version: "
                    + String.join(", ", differ)
                    + " (a job runs only on the nodes of its own version)"));
    TextTable table = new TextTable("task", "version", "nodes");
    for (JsonNode v : tasks.path("versions")) {
      if (!differ.contains(v.path("task").asText())) continue;
      List<String> on = new ArrayList<>();
      v.path("on").forEach(node -> on.add(node.asText()));
      table.row(
          v.path("task").asText(),
          v.path("fingerprint").asText(),
          on.isEmpty() ? v.path("nodes").asText() : String.join(", ", on));
    }
    if (!table.isEmpty()) table.print(out, "  ");
  }

  /** The coordinator's queue: chunks waiting for a worker, per job. */
  static void queue(PrintWriter out, JsonNode cluster) {
    if (!cluster.path("coordinator").path("answers").asBoolean()) return;
    JsonNode queue = cluster.path("queue");
    out.println(
        "queue at the coordinator: "
            + queue.path("chunks_queued").asLong()
            + " chunks queued, "
            + queue.path("chunks_in_flight").asLong()
            + " in flight, "
            + queue.path("jobs").size()
            + " jobs");
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
