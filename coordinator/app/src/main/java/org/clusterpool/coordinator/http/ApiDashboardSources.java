package org.clusterpool.coordinator.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.clusterpool.coordinator.dashboard.DashboardSources;
import org.clusterpool.node.NodeOptions;
import org.clusterpool.node.handle.Inventory;
import org.clusterpool.node.member.MemberReporter;
import org.clusterpool.node.pipe.PipeStats;
import org.clusterpool.node.protocol.Activity;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.queue.QueueStats;

/**
 * What the dashboard reads from this API: the members of the cluster (or, for an embedded pool,
 * which runs no Pekko Cluster, this JVM alone), the coordinator's status, the API's jobs.
 */
final class ApiDashboardSources implements DashboardSources {
  private final ActorSystem<?> system;
  private final ClusterView view;
  private final JobRegistry registry;
  private final MemberDirectory directory;
  private final boolean cluster;

  /**
   * The pid of each member once it told it, by address and incarnation (a JVM restarted on the same
   * port is another).
   */
  private final Map<String, Long> pids = new java.util.concurrent.ConcurrentHashMap<>();

  ApiDashboardSources(ActorSystem<?> system, ClusterView view, JobRegistry registry) {
    this.system = system;
    this.view = view;
    this.registry = registry;
    this.directory = new MemberDirectory(system);
    this.cluster = clustered(system);
  }

  /**
   * Whether the system runs Pekko Cluster: an embedded pool's does not, and {@code Cluster.get}
   * would fail there.
   */
  static boolean clustered(ActorSystem<?> system) {
    return system.settings().config().getString("pekko.actor.provider").equalsIgnoreCase("cluster");
  }

  @Override
  public String mode() {
    return cluster ? "cluster" : "embedded";
  }

  @Override
  public String self() {
    return cluster
        ? Cluster.get(system).selfMember().address().toString()
        : system.address().toString();
  }

  @Override
  public String coordinatorNode() {
    return cluster ? ClusterView.singletonHost(Cluster.get(system).state()) : self();
  }

  @Override
  public CompletionStage<List<DashboardSources.Member>> members(Duration timeout, int max) {
    if (!cluster) {
      return CompletableFuture.completedFuture(
          List.of(
              new DashboardSources.Member(
                  self(),
                  List.of(NodeOptions.COORDINATOR, NodeOptions.WORKER),
                  "Up",
                  true,
                  ProcessHandle.current().pid())));
    }
    // a member's pid never changes: the members are asked only when one is new (not every half
    // second), and never
    // one the cluster marks unreachable (it could not answer before the timeout, and the snapshot
    // would wait for it)
    ClusterEvent.CurrentClusterState now = Cluster.get(system).state();
    boolean allKnown = true;
    for (org.apache.pekko.cluster.Member member : now.getMembers()) {
      allKnown &= pids.containsKey(key(member)) || now.getUnreachable().contains(member);
    }
    CompletionStage<Map<String, MemberReporter.MemberInfo>> asked =
        allKnown
            ? CompletableFuture.completedFuture(Map.of())
            : directory.members(timeout, unreachable()).exceptionally(e -> Map.of());
    return asked.thenApply(
        processes -> {
          ClusterEvent.CurrentClusterState state = Cluster.get(system).state();
          List<DashboardSources.Member> members = new ArrayList<>();
          java.util.Set<String> present = new java.util.HashSet<>();
          for (org.apache.pekko.cluster.Member member : state.getMembers()) {
            String address = member.address().toString();
            MemberReporter.MemberInfo process = processes.get(address);
            if (process != null) pids.put(key(member), process.pid());
            present.add(key(member));
            if (members.size() >= max) continue;
            members.add(
                new DashboardSources.Member(
                    address,
                    member.getRoles().stream()
                        .filter(role -> !role.startsWith("dc-"))
                        .sorted()
                        .toList(),
                    member.status().toString(),
                    !state.getUnreachable().contains(member),
                    pids.get(key(member))));
          }
          pids.keySet().retainAll(present); // bounded by the members
          return members;
        });
  }

  /** The members this one's cluster marks unreachable now: an embedded pool has none. */
  private Predicate<Address> unreachable() {
    if (!cluster) return address -> false;
    Set<Address> addresses = new HashSet<>();
    for (org.apache.pekko.cluster.Member member : Cluster.get(system).state().getUnreachable())
      addresses.add(member.address());
    return addresses::contains;
  }

  @Override
  public boolean unreachable(String address) {
    return cluster && unreachable().test(AddressFromURIString.parse(address));
  }

  private static String key(org.apache.pekko.cluster.Member member) {
    return member.address() + "#" + member.uniqueAddress().longUid();
  }

  @Override
  public CompletionStage<ClusterStatus> status(Duration timeout) {
    return view.status(timeout);
  }

  @Override
  public CompletionStage<Activity> activity(long afterSeq, int max, Duration timeout) {
    return view.activity(afterSeq, max, timeout);
  }

  @Override
  public CompletionStage<Inventory.Found<QueueStats>> queues(Duration timeout) {
    return Inventory.queues(system, timeout, unreachable());
  }

  @Override
  public CompletionStage<Inventory.Found<PipeStats>> pipes(Duration timeout) {
    return Inventory.pipes(system, timeout, unreachable());
  }

  @Override
  public List<ApiJobRow> apiJobs() {
    List<ApiJobRow> rows = new ArrayList<>();
    for (ApiJob job : registry.list()) {
      ObjectNode described = Json.object();
      job.describe(described);
      String task = described.path("task").asText(job.kind());
      rows.add(
          new ApiJobRow(
              job.id,
              job.kind(),
              task,
              job.state().json(),
              job.done(),
              job.total,
              job.retried(),
              job.submitted.toEpochMilli(),
              job.state() == ApiJob.State.RUNNING ? null : job.error(),
              job.coordinatorPrefix()));
    }
    return rows;
  }
}
