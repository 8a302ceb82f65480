package org.clusterpool.coordinator.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.clusterpool.coordinator.dashboard.ClusterJson;
import org.clusterpool.coordinator.dashboard.DashboardSources;
import org.clusterpool.node.NodeOptions;
import org.clusterpool.node.member.MemberReporter;
import org.clusterpool.node.protocol.Activity;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.protocol.CoordinatorProtocol;

/**
 * {@code GET /cluster}: the members as this node sees them (address, roles, status, reachability,
 * the pid each reports), the coordinator's workers (chunks done, in flight, async calls in flight)
 * and its queue (chunks queued per job). Membership always answers; the coordinator's part says so
 * when it does not.
 */
final class ClusterView {
  private final ActorSystem<?> system;
  private final ActorRef<CoordinatorProtocol.Command> coordinator;
  private final MemberDirectory directory;

  ClusterView(ActorSystem<?> system, ActorRef<CoordinatorProtocol.Command> coordinator) {
    this.system = system;
    this.coordinator = coordinator;
    this.directory = new MemberDirectory(system);
  }

  /** The coordinator's view of workers and jobs, through the singleton proxy. */
  CompletionStage<ClusterStatus> status(Duration timeout) {
    return AskPattern.ask(
        coordinator, CoordinatorProtocol.GetStatus::new, timeout, system.scheduler());
  }

  /**
   * The chunk spans the coordinator recorded after {@code afterSeq}: the dashboard's task stream.
   */
  CompletionStage<Activity> activity(long afterSeq, int max, Duration timeout) {
    return AskPattern.ask(
        coordinator,
        (ActorRef<Activity> replyTo) -> new CoordinatorProtocol.GetActivity(afterSeq, max, replyTo),
        timeout,
        system.scheduler());
  }

  CompletionStage<ObjectNode> describe(Duration timeout, int apiJobsRunning, int apiJobsKept) {
    CompletableFuture<ClusterStatus> status = status(timeout).toCompletableFuture();
    CompletableFuture<Map<String, MemberReporter.MemberInfo>> pids =
        directory.members(timeout).toCompletableFuture();
    return CompletableFuture.allOf(status.handle((s, e) -> null), pids.handle((p, e) -> null))
        .thenApply(
            all -> {
              Map<String, MemberReporter.MemberInfo> processes =
                  pids.isCompletedExceptionally() ? Map.of() : pids.join();
              ObjectNode json = Json.object();
              String host;
              if (ApiDashboardSources.clustered(system)) {
                Cluster cluster = Cluster.get(system);
                json.put("mode", "cluster");
                json.put("self", cluster.selfMember().address().toString());
                members(json, cluster.state(), processes);
                host = singletonHost(cluster.state());
              } else { // an embedded pool: no Pekko Cluster, this JVM is the one member,
                // coordinator and workers
                json.put("mode", "embedded");
                json.put("self", system.address().toString());
                ClusterJson.member(
                    json.putArray("members"),
                    new DashboardSources.Member(
                        system.address().toString(),
                        List.of(NodeOptions.COORDINATOR, NodeOptions.WORKER),
                        "Up",
                        true,
                        ProcessHandle.current().pid()));
                host = system.address().toString();
              }
              boolean answers = !status.isCompletedExceptionally();
              ClusterJson.coordinator(json, host, answers, timeout);
              if (!answers) {
                json.putArray("workers");
                json.putObject("queue")
                    .put("chunks_queued", 0)
                    .put("chunks_in_flight", 0)
                    .putArray("jobs");
              } else {
                workers(json, status.join());
                queue(json, status.join());
                counters(json, status.join());
                taskVersions(json.putObject("tasks"), status.join());
              }
              json.putObject("api_jobs").put("running", apiJobsRunning).put("kept", apiJobsKept);
              return json;
            });
  }

  private static void members(
      ObjectNode json,
      ClusterEvent.CurrentClusterState state,
      Map<String, MemberReporter.MemberInfo> processes) {
    ArrayNode members = json.putArray("members");
    for (Member member : state.getMembers()) {
      String address = member.address().toString();
      MemberReporter.MemberInfo process = processes.get(address);
      ObjectNode m =
          ClusterJson.member(
              members,
              new DashboardSources.Member(
                  address,
                  member.getRoles().stream()
                      .filter(role -> !role.startsWith("dc-"))
                      .sorted()
                      .toList(),
                  member.status().toString(),
                  !state.getUnreachable().contains(member),
                  process == null ? null : process.pid()));
      if (process != null) {
        m.put("started", Instant.ofEpochMilli(process.startedAtMillis()).toString());
        m.put("max_heap_mb", process.maxHeapBytes() >> 20);
        m.put("processors", process.processors());
      }
    }
  }

  /** The Cluster Singleton runs on the oldest member of its role that is up. */
  static String singletonHost(ClusterEvent.CurrentClusterState state) {
    Member oldest = null;
    for (Member member : state.getMembers()) {
      if (!member.hasRole(NodeOptions.COORDINATOR)) continue;
      if (member.status() != MemberStatus.up() && member.status() != MemberStatus.leaving())
        continue;
      if (oldest == null || member.isOlderThan(oldest)) oldest = member;
    }
    return oldest == null ? null : oldest.address().toString();
  }

  private static void workers(ObjectNode json, ClusterStatus status) {
    ArrayNode workers = json.putArray("workers");
    for (ClusterStatus.WorkerStatus w : status.workers()) {
      ClusterJson.worker(workers, w, "cpu_");
    }
    if (status.workersOmitted() > 0) json.put("workers_not_listed", status.workersOmitted());
  }

  /**
   * The versions of tasks on the worker nodes: for each, how many nodes have it, and which when the
   * nodes have more than one version of that name (those names are listed in {@code
   * versions_differ}: a job runs only on the nodes of its own version).
   */
  static void taskVersions(ObjectNode json, ClusterStatus status) {
    json.put("worker_nodes", status.workerNodes());
    json.put("worker_nodes_not_said", status.workerNodesNotSaid());
    ArrayNode versions = json.putArray("versions");
    for (ClusterStatus.TaskVersion v : status.tasks()) {
      ObjectNode version =
          versions
              .addObject()
              .put("task", v.task())
              .put("kind", v.kind().label())
              .put("fingerprint", v.fingerprint())
              .put("nodes", v.nodeCount());
      if (!v.nodes().isEmpty()) {
        ArrayNode on = version.putArray("on");
        v.nodes().forEach(on::add);
      }
    }
    if (status.tasksOmitted() > 0) json.put("versions_not_listed", status.tasksOmitted());
    ArrayNode differ = json.putArray("versions_differ");
    status.tasksWhoseVersionsDiffer().forEach(differ::add);
  }

  /** What the coordinator has seen go wrong since it started, for an operator: each a count. */
  private static void counters(ObjectNode json, ClusterStatus status) {
    ClusterStatus.Counters c = status.counters();
    json.putObject("faults")
        .put("coordinator_incarnation", Long.toHexString(c.incarnation()))
        .put("late_results_dropped", c.lateResultsDropped())
        .put("bad_messages_dropped", c.badMessagesDropped())
        .put("lost_answers_recovered", c.lostAnswersRecovered())
        .put("units_retried", c.unitsRetried())
        .put("workers_lost", c.workersLost())
        .put("jobs_failed_for_no_worker", c.jobsFailedForNoWorker());
  }

  /** The coordinator's queue depth: chunks waiting for a worker, in all and per job. */
  private static void queue(ObjectNode json, ClusterStatus status) {
    ObjectNode queue = json.putObject("queue");
    queue.put(
        "chunks_queued",
        status.jobs().stream().mapToLong(ClusterStatus.JobStatus::chunksQueued).sum());
    queue.put(
        "chunks_in_flight",
        status.jobs().stream().mapToLong(ClusterStatus.JobStatus::chunksInFlight).sum());
    ArrayNode jobs = queue.putArray("jobs");
    for (ClusterStatus.JobStatus j : status.jobs()) {
      jobs.addObject()
          .put("job", j.jobId())
          .put("task", j.task())
          .put("chunks_queued", j.chunksQueued())
          .put("chunks_in_flight", j.chunksInFlight())
          .put("inputs_done", j.inputsDone())
          .put("retries", j.retries());
    }
  }
}
