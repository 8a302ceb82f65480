package org.clusterpool.coordinator.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code cluster up} started, so that later commands find it: the HTTP API's URL, the seed (the
 * coordinator's address), where the logs are, and each member's JVM (name, role, port, pid and the instant
 * its process started, which tells a pid reused by another process apart from ours).
 */
public record ClusterState(
    String http, String seed, String logs, int workersPerNode, String heap, Instant started, int lastWorker, List<Member> members) {

  public static final String COORDINATOR = "coordinator";
  public static final String WORKER = "worker";

  public ClusterState {
    members = List.copyOf(members);
  }

  /**
   * One JVM of the cluster. Worker nodes are named {@code worker-node-N}; N is what {@code cluster kill} takes.
   * A killed one stays listed, marked, so that {@code cluster status} can name what the cluster still shows of it.
   */
  public record Member(String name, String role, int port, long pid, long processStartMillis, boolean killed) {

    public Member killedNow() {
      return new Member(name, role, port, pid, processStartMillis, true);
    }

    public String address() {
      return "pekko://clusterpool@127.0.0.1:" + port;
    }

    /** The N of {@code worker-node-N}, or 0 for the coordinator. */
    public int number() {
      return name.startsWith("worker-node-") ? Integer.parseInt(name.substring("worker-node-".length())) : 0;
    }
  }

  public Optional<Member> coordinator() {
    return members.stream().filter(m -> m.role().equals(COORDINATOR)).findFirst();
  }

  /** The worker nodes started and not killed. */
  public List<Member> workers() {
    return members.stream().filter(m -> m.role().equals(WORKER) && !m.killed()).toList();
  }

  /** The members started and not killed. */
  public List<Member> live() {
    return members.stream().filter(m -> !m.killed()).toList();
  }

  public ClusterState withMembers(List<Member> newMembers, int newLastWorker) {
    return new ClusterState(http, seed, logs, workersPerNode, heap, started, newLastWorker, newMembers);
  }

  /** The same cluster, {@code member} marked as killed. */
  public ClusterState withKilled(Member member) {
    List<Member> marked = new ArrayList<>();
    for (Member m : members) marked.add(m.equals(member) ? m.killedNow() : m);
    return withMembers(marked, lastWorker);
  }

  ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("http", http);
    json.put("seed", seed);
    json.put("logs", logs);
    json.put("workers_per_node", workersPerNode);
    json.put("heap", heap);
    json.put("started", started.toString());
    json.put("last_worker", lastWorker);
    ArrayNode list = json.putArray("members");
    for (Member m : members) {
      list.addObject()
          .put("name", m.name())
          .put("role", m.role())
          .put("port", m.port())
          .put("pid", m.pid())
          .put("process_start_millis", m.processStartMillis())
          .put("killed", m.killed());
    }
    return json;
  }

  /** Reads the state; throws {@link IllegalArgumentException} naming what is missing. */
  static ClusterState fromJson(JsonNode json) {
    List<Member> members = new ArrayList<>();
    for (JsonNode m : required(json, "members")) {
      members.add(new Member(
          required(m, "name").asText(),
          required(m, "role").asText(),
          required(m, "port").asInt(),
          required(m, "pid").asLong(),
          m.path("process_start_millis").asLong(0),
          m.path("killed").asBoolean(false)));
    }
    return new ClusterState(
        required(json, "http").asText(),
        required(json, "seed").asText(),
        required(json, "logs").asText(),
        json.path("workers_per_node").asInt(0),
        json.path("heap").asText("256m"),
        Instant.parse(required(json, "started").asText()),
        json.path("last_worker").asInt(members.size()),
        members);
  }

  private static JsonNode required(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) throw new IllegalArgumentException("no \"" + field + "\"");
    return value;
  }
}
