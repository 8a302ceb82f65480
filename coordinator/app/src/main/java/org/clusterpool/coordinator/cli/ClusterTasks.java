package org.clusterpool.coordinator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.clusterpool.coordinator.connect.ApiClient;
import org.clusterpool.coordinator.connect.CommandFailure;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.task.Task;

/**
 * {@code --connect} checks its tasks against the cluster before it sends any input ({@code GET
 * /tasks}): the coordinator member must have each task at this program's version (it reads the
 * inputs with its own), and so must at least one worker node (only those get the job). What is
 * missing is a usage error that says where.
 */
final class ClusterTasks {
  private ClusterTasks() {}

  static void check(
      ApiClient endpoint, TaskCatalog catalog, Collection<? extends Task<?, ?>> tasks) {
    JsonNode answer;
    try {
      answer = endpoint.get("/tasks");
    } catch (ApiClient.Unreachable e) {
      throw new CommandFailure(
          "cannot reach the cluster's HTTP API: "
              + e.getMessage()
              + e.hint("; is it running? ('clusterpool cluster status')"));
    } catch (ApiClient.Failure e) {
      if (e.status() == 401)
        throw new CommandFailure(e.getMessage()); // the token: it says so itself
      throw new CommandFailure(
          "the cluster at " + endpoint.base() + " did not say what it runs: " + e.getMessage());
    }
    Map<String, Task<?, ?>> byName = new LinkedHashMap<>();
    for (Task<?, ?> task : tasks) byName.putIfAbsent(task.name(), task);
    for (Task<?, ?> task : byName.values())
      check(endpoint, answer, task.name(), catalog.entry(task.name()).orElseThrow().fingerprint());
  }

  static void check(ApiClient endpoint, JsonNode answer, String name, String mine) {
    JsonNode member = null;
    for (JsonNode t : answer.path("tasks")) {
      if (t.path("name").asText().equals(name)) member = t;
    }
    if (member == null) {
      throw new UsageError(
          "the coordinator at "
              + endpoint.base()
              + " has no task '"
              + name
              + "': start the cluster with the task's jar"
              + " ('cluster up N --tasks PATH', or 'coordinator --tasks PATH')");
    }
    String theirs = member.path("fingerprint").asText();
    if (!theirs.equals(mine)) {
      throw new UsageError(
          "task '"
              + name
              + "' here is "
              + mine
              + ", and the coordinator at "
              + endpoint.base()
              + " has "
              + theirs
              + " (from "
              + member.path("source").asText()
              + "): another version; give the cluster the same jar as this command");
    }
    JsonNode nodes = answer.path("nodes");
    if (!nodes.path("answers").asBoolean(false)) return; // the coordinator will say it, if it must
    int mineOn = 0;
    int others = 0;
    List<String> otherVersions = new ArrayList<>();
    for (JsonNode version : nodes.path("versions")) {
      if (!version.path("task").asText().equals(name)) continue;
      int count = version.path("nodes").asInt();
      if (version.path("fingerprint").asText().equals(mine)) {
        mineOn += count;
      } else {
        others += count;
        otherVersions.add(
            count
                + (count == 1 ? " node has it as " : " nodes have it as ")
                + version.path("fingerprint").asText());
      }
    }
    if (mineOn > 0) return;
    int workerNodes = nodes.path("worker_nodes").asInt();
    if (workerNodes == 0)
      return; // no node yet: the job waits for one (clusterpool.job.no-workers-timeout)
    if (nodes.path("worker_nodes_not_said").asInt() > 0)
      return; // a node just joined (one replaced) may have it: the coordinator waits to know
    List<String> parts = new ArrayList<>(otherVersions);
    int without = Math.max(0, workerNodes - others);
    if (without > 0)
      parts.add(without + (without == 1 ? " node has" : " nodes have") + " no task '" + name + "'");
    throw new UsageError(
        "no worker node of the cluster at "
            + endpoint.base()
            + " has task '"
            + name
            + "' ("
            + mine
            + "): "
            + String.join("; ", parts)
            + "; give the nodes the same jar as this command (cluster up --tasks PATH)");
  }
}
