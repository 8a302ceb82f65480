package org.clusterpool.coordinator.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code cluster up} started, so that later commands find it: the HTTP API's URL, the seed
 * (the coordinator's address), where the logs are, whether a worker JVM that ends is replaced, and
 * each member's JVM (name, role, port, pid and the instant its process started, which tells a pid
 * reused by another process apart from ours). The coordinator JVM, which supervises the worker
 * JVMs, writes it at each change: each worker node's current pid, its restarts and how its last JVM
 * ended. {@code tasks} are the task paths every JVM of the cluster was started with ({@code cluster
 * up --tasks}): {@code --connect} reads its inputs with the same tasks, and {@code cluster add}
 * starts its JVMs with them. {@code token} is the one the cluster's HTTP API asks for (made by
 * {@code cluster up}; empty for an API that asks none): {@code --connect}, {@code status} and
 * {@code add} send it, so the file is readable by its owner only ({@link StateFile}).
 */
public record ClusterState(
    String http,
    String seed,
    String logs,
    int workersPerNode,
    String heap,
    Instant started,
    boolean restart,
    List<Member> members,
    List<String> tasks,
    String token) {

  public static final String COORDINATOR = "coordinator";
  public static final String WORKER = "worker";

  public static final String RUNNING = "running";
  public static final String RESTARTING = "restarting";
  public static final String DEAD = "dead";

  public ClusterState {
    members = List.copyOf(members);
    tasks = List.copyOf(tasks);
  }

  /**
   * One JVM of the cluster. Worker nodes are named {@code worker-node-N}; N is what {@code cluster
   * kill} takes. A node keeps its name (and its port, when still free) across restarts.
   *
   * @param status {@link #RUNNING}, {@link #RESTARTING} (its JVM ended, a new one starts after a
   *     delay) or {@link #DEAD} (its JVM ended and none comes: the cluster runs with {@code
   *     --no-restart}, or is stopping)
   * @param downedOnExit how many of its JVMs the coordinator JVM saw end and downed at once (not
   *     the failure detector)
   */
  public record Member(
      String name,
      String role,
      int port,
      long pid,
      long processStartMillis,
      String status,
      int restarts,
      Optional<Exit> lastExit,
      int downedOnExit) {

    /**
     * A JVM none of whose predecessors was downed on its end: the coordinator, a node as it starts.
     */
    public Member(
        String name,
        String role,
        int port,
        long pid,
        long processStartMillis,
        String status,
        int restarts,
        Optional<Exit> lastExit) {
      this(name, role, port, pid, processStartMillis, status, restarts, lastExit, 0);
    }

    public boolean running() {
      return status.equals(RUNNING);
    }

    public String address() {
      return "pekko://clusterpool@127.0.0.1:" + port;
    }

    /**
     * How many of its JVMs have ended: each restart followed one, and so does a wait for the next
     * start.
     */
    public int exits() {
      if (lastExit.isEmpty()) return 0;
      return restarts + (running() ? 0 : 1);
    }

    /** The N of {@code worker-node-N}, or 0 for the coordinator. */
    public int number() {
      return name.startsWith("worker-node-")
          ? Integer.parseInt(name.substring("worker-node-".length()))
          : 0;
    }
  }

  /**
   * How a worker node's last JVM ended, as its supervisor saw it.
   *
   * @param member what became of its cluster member: {@code downed at once}, ...
   * @param restartDelayMillis the delay before its replacement started, or -1 when none comes
   */
  public record Exit(
      long pid,
      String cause,
      Instant at,
      long uptimeMillis,
      String member,
      long restartDelayMillis,
      List<String> logTail) {
    public Exit {
      logTail = List.copyOf(logTail);
    }

    public boolean replaced() {
      return restartDelayMillis >= 0;
    }
  }

  /** The same state with these members. */
  public ClusterState withMembers(List<Member> members) {
    return new ClusterState(
        http, seed, logs, workersPerNode, heap, started, restart, members, tasks, token);
  }

  @Override
  public String toString() {
    return "ClusterState["
        + http
        + ", "
        + seed
        + ", "
        + members.size()
        + " members]"; // never the token
  }

  public Optional<Member> coordinator() {
    return members.stream().filter(m -> m.role().equals(COORDINATOR)).findFirst();
  }

  /**
   * The coordinator this state names, when its process is gone (or is another process by now): the
   * cluster is not running, and whatever listens on its port now is not it, so it is sent nothing,
   * its token least of all.
   */
  public Optional<Member> coordinatorGone() {
    return coordinator()
        .filter(
            c ->
                ProcessHandle.of(c.pid())
                    .filter(ProcessHandle::isAlive)
                    .filter(
                        p ->
                            c.processStartMillis() <= 0
                                || p.info()
                                    .startInstant()
                                    .map(
                                        s ->
                                            Math.abs(s.toEpochMilli() - c.processStartMillis())
                                                < 1000)
                                    .orElse(true))
                    .isEmpty());
  }

  /** The worker nodes, running or not. */
  public List<Member> workers() {
    return members.stream().filter(m -> m.role().equals(WORKER)).toList();
  }

  public Optional<Member> member(String name) {
    return members.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("http", http);
    json.put("seed", seed);
    json.put("logs", logs);
    json.put("workers_per_node", workersPerNode);
    json.put("heap", heap);
    json.put("started", started.toString());
    json.put("restart", restart);
    json.put("token", token);
    ArrayNode paths = json.putArray("tasks");
    tasks.forEach(paths::add);
    ArrayNode list = json.putArray("members");
    for (Member m : members) {
      ObjectNode member =
          list.addObject()
              .put("name", m.name())
              .put("role", m.role())
              .put("port", m.port())
              .put("pid", m.pid())
              .put("process_start_millis", m.processStartMillis())
              .put("status", m.status())
              .put("restarts", m.restarts())
              .put("downed_on_exit", m.downedOnExit());
      m.lastExit()
          .ifPresent(
              e -> {
                ObjectNode exit =
                    member
                        .putObject("last_exit")
                        .put("pid", e.pid())
                        .put("cause", e.cause())
                        .put("at", e.at().toString())
                        .put("uptime_ms", e.uptimeMillis())
                        .put("member", e.member())
                        .put("restart_delay_ms", e.restartDelayMillis());
                ArrayNode tail = exit.putArray("log_tail");
                e.logTail().forEach(tail::add);
              });
    }
    return json;
  }

  /** Reads the state; throws {@link IllegalArgumentException} naming what is missing. */
  static ClusterState fromJson(JsonNode json) {
    List<Member> members = new ArrayList<>();
    // not read as empty: a cluster whose file lost its members still has JVMs to stop
    if (!required(json, "members").isArray())
      throw new IllegalArgumentException("'members' is not a list");
    for (JsonNode m : required(json, "members")) {
      members.add(
          new Member(
              required(m, "name").asText(),
              required(m, "role").asText(),
              required(m, "port").asInt(),
              required(m, "pid").asLong(),
              m.path("process_start_millis").asLong(0),
              m.path("status").asText(RUNNING),
              m.path("restarts").asInt(0),
              exit(m.get("last_exit")),
              m.path("downed_on_exit").asInt(0)));
    }
    List<String> tasks = new ArrayList<>();
    json.path("tasks").forEach(path -> tasks.add(path.asText()));
    return new ClusterState(
        required(json, "http").asText(),
        required(json, "seed").asText(),
        required(json, "logs").asText(),
        json.path("workers_per_node").asInt(0),
        json.path("heap").asText("256m"),
        Instant.parse(required(json, "started").asText()),
        json.path("restart").asBoolean(true),
        members,
        tasks,
        json.path("token").asText(""));
  }

  private static Optional<Exit> exit(JsonNode json) {
    if (json == null || !json.isObject()) return Optional.empty();
    List<String> tail = new ArrayList<>();
    json.path("log_tail").forEach(line -> tail.add(line.asText()));
    return Optional.of(
        new Exit(
            json.path("pid").asLong(),
            json.path("cause").asText(),
            Instant.parse(required(json, "at").asText()),
            json.path("uptime_ms").asLong(),
            json.path("member").asText(),
            json.path("restart_delay_ms").asLong(-1),
            tail));
  }

  private static JsonNode required(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) throw new IllegalArgumentException("no \"" + field + "\"");
    return value;
  }
}
