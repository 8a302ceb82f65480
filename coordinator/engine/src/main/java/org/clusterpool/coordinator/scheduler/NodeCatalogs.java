package org.clusterpool.coordinator.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.protocol.CoordinatorProtocol.NodeCatalog;
import org.clusterpool.node.protocol.MessageBudget;
import org.clusterpool.node.protocol.TaskSignature;
import org.clusterpool.node.protocol.WorkerProtocol;

/**
 * What each worker node can run, as the node said ({@link NodeCatalog}, in parts), kept by node: a
 * node's workers get only the work of tasks its catalog holds, at the job's version, and none
 * before its whole catalog is in. A node is live while it has workers here; a job that no live node
 * can run waits (for the no-workers timeout), or is refused at once when every live node's catalog
 * is known and none has its task.
 */
final class NodeCatalogs {
  /** Parts of one catalog at most: thousands of tasks even under the smallest budget. */
  static final int MAX_PARTS = 1000;

  /** How often at most a node is asked again for a catalog that has not come whole. */
  static final long ASK_INTERVAL_NANOS = 1_000_000_000L;

  /** Nodes a message names at most, per version: the rest are counted. */
  private static final int NAMED = 3;

  private static final class Node {
    final String address;

    /** The whole catalog, of {@code version}; null until one has come. */
    Set<TaskSignature> tasks;

    long version = -1;

    /** A newer catalog coming in parts. */
    long partialVersion = -1;

    List<List<TaskSignature>> parts;
    int partsIn;
    int workers;
    long askedNanos;

    Node(String address) {
      this.address = address;
    }

    boolean live() {
      return workers > 0;
    }
  }

  private final Map<ActorRef<WorkerProtocol.NodeCommand>, Node> nodes = new LinkedHashMap<>();

  /** A node is known by its reference (a JVM started again at the same address is another node). */
  private Node node(ActorRef<WorkerProtocol.NodeCommand> ref, String address) {
    return nodes.computeIfAbsent(ref, r -> new Node(address));
  }

  boolean isTracked(ActorRef<WorkerProtocol.NodeCommand> ref) {
    return nodes.containsKey(ref);
  }

  /** From now on the node is known, without workers or catalog yet. */
  void track(ActorRef<WorkerProtocol.NodeCommand> ref, String address) {
    node(ref, address);
  }

  /** The tasks of the node's whole catalog (0 while none has come). */
  int taskCount(ActorRef<WorkerProtocol.NodeCommand> ref) {
    Node node = nodes.get(ref);
    return node == null || node.tasks == null ? 0 : node.tasks.size();
  }

  /**
   * Takes a part (checked by {@link MessageChecks#catalog}); returns true when it completes a
   * catalog newer than the node's, which then replaces it. Parts of an older catalog, and parts
   * that came twice, change nothing. A part that disagrees with the others of its version on their
   * count is refused: the reason, or null.
   */
  String take(NodeCatalog part, boolean[] completed) {
    Node node = node(part.node(), part.address());
    completed[0] = false;
    if (part.version() <= node.version) return null; // that catalog or a newer one is in
    if (part.version() < node.partialVersion) return null;
    if (part.version() > node.partialVersion) {
      node.partialVersion = part.version();
      node.parts = new ArrayList<>(part.parts());
      for (int i = 0; i < part.parts(); i++) node.parts.add(null);
      node.partsIn = 0;
    } else if (node.parts.size() != part.parts()) {
      return "a catalog part of "
          + part.address()
          + " says "
          + part.parts()
          + " parts, and another of its version "
          + node.parts.size();
    }
    if (node.parts.get(part.part()) != null) return null; // came twice
    node.parts.set(part.part(), part.tasks());
    if (++node.partsIn < node.parts.size()) return null;
    Set<TaskSignature> whole = new HashSet<>();
    for (List<TaskSignature> tasks : node.parts) whole.addAll(tasks);
    node.tasks = whole;
    node.version = part.version();
    node.parts = null;
    node.partialVersion = -1;
    completed[0] = true;
    return null;
  }

  /** A worker of the node joined: the node is live. */
  void workerJoined(ActorRef<WorkerProtocol.NodeCommand> ref, String address) {
    node(ref, address).workers++;
  }

  /**
   * A worker of the node went; a node without workers is no longer live (its catalog stays while
   * the node runs).
   */
  void workerLeft(ActorRef<WorkerProtocol.NodeCommand> ref) {
    Node node = nodes.get(ref);
    if (node != null && node.workers > 0) node.workers--;
  }

  /** The node's JVM is gone: its catalog goes too. */
  void nodeGone(ActorRef<WorkerProtocol.NodeCommand> ref) {
    nodes.remove(ref);
  }

  /** Whether the node's whole catalog is in. */
  boolean known(ActorRef<WorkerProtocol.NodeCommand> ref) {
    Node node = nodes.get(ref);
    return node != null && node.tasks != null;
  }

  /**
   * Whether the node should be asked for its catalog now: it lacks, and was not asked a moment ago.
   */
  boolean shouldAsk(ActorRef<WorkerProtocol.NodeCommand> ref, long now) {
    Node node = nodes.get(ref);
    if (node == null || node.tasks != null) return false;
    if (node.askedNanos != 0 && now - node.askedNanos < ASK_INTERVAL_NANOS) return false;
    node.askedNanos = now;
    return true;
  }

  /** Whether the node's catalog holds the task at that version. */
  boolean has(ActorRef<WorkerProtocol.NodeCommand> ref, TaskSignature task) {
    Node node = nodes.get(ref);
    return node != null && node.tasks != null && node.tasks.contains(task);
  }

  /** Whether some live node can run the task. */
  boolean runnable(TaskSignature task) {
    for (Node node : nodes.values()) {
      if (node.live() && node.tasks != null && node.tasks.contains(task)) return true;
    }
    return false;
  }

  /**
   * Whether there are live nodes and each has said what it runs: then a task none of them has can
   * be refused.
   */
  boolean allLiveKnown() {
    boolean any = false;
    for (Node node : nodes.values()) {
      if (!node.live()) continue;
      if (node.tasks == null) return false;
      any = true;
    }
    return any;
  }

  int liveNodes() {
    int live = 0;
    for (Node node : nodes.values()) if (node.live()) live++;
    return live;
  }

  /** The live nodes that have not said yet what they run. */
  int liveNodesNotSaid() {
    int unsaid = 0;
    for (Node node : nodes.values()) if (node.live() && node.tasks == null) unsaid++;
    return unsaid;
  }

  /**
   * Why no live node runs the task, in one line that names the nodes: which have another version of
   * it, which have no task of that name, which have not said yet what they run.
   */
  String whyNot(TaskSignature task) {
    Map<String, List<String>> byVersion = new TreeMap<>();
    List<String> without = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    Set<String> names = new TreeSet<>();
    for (Node node : nodes.values()) {
      if (!node.live()) continue;
      if (node.tasks == null) {
        unknown.add(node.address);
        continue;
      }
      String version = null;
      for (TaskSignature t : node.tasks) {
        names.add(t.name());
        if (t.name().equals(task.name()))
          version =
              t.fingerprint() + (t.kind() == task.kind() ? "" : " (" + t.kind().label() + ")");
      }
      if (version == null) without.add(node.address);
      else byVersion.computeIfAbsent(version, v -> new ArrayList<>()).add(node.address);
    }
    if (byVersion.isEmpty() && without.isEmpty() && unknown.isEmpty())
      return "no worker node has joined";
    List<String> parts = new ArrayList<>();
    byVersion.forEach(
        (version, on) ->
            parts.add(named(on) + (on.size() == 1 ? " has" : " have") + " it as " + version));
    if (!without.isEmpty()) {
      parts.add(
          named(without)
              + (without.size() == 1 ? " has" : " have")
              + " no task '"
              + task.name()
              + "'"
              + (byVersion.isEmpty() ? " (" + accepted(names) + ")" : ""));
    }
    if (!unknown.isEmpty())
      parts.add(
          named(unknown) + (unknown.size() == 1 ? " has" : " have") + " not said yet what it runs");
    return "no worker node has task " + task.describe() + ": " + String.join("; ", parts);
  }

  /** {@code pekko://...:25521, pekko://...:25522 and 3 more}. */
  private static String named(List<String> addresses) {
    List<String> shown = addresses.subList(0, Math.min(NAMED, addresses.size()));
    String more = addresses.size() > NAMED ? " and " + (addresses.size() - NAMED) + " more" : "";
    return String.join(", ", shown) + more;
  }

  /** The names the nodes have, cut short: what a user may have meant. */
  private static String accepted(Set<String> names) {
    String all = String.join(", ", names);
    return "they have "
        + (all.length() <= 200 ? all : all.substring(0, 200) + "… (" + names.size() + " tasks)");
  }

  /**
   * The versions of tasks on the live nodes, for a status: each with its count of nodes, and the
   * nodes themselves when a name has more than one version. Those are listed first, then the others
   * by name.
   */
  ClusterStatus.TaskVersion[] versions() {
    Map<TaskSignature, List<String>> on =
        new TreeMap<>(
            (a, b) -> {
              int c = a.name().compareTo(b.name());
              return c != 0 ? c : a.fingerprint().compareTo(b.fingerprint());
            });
    for (Node node : nodes.values()) {
      if (!node.live() || node.tasks == null) continue;
      for (TaskSignature task : node.tasks)
        on.computeIfAbsent(task, t -> new ArrayList<>()).add(node.address);
    }
    Map<String, Integer> versionsOfName = new HashMap<>();
    for (TaskSignature task : on.keySet()) versionsOfName.merge(task.name(), 1, Integer::sum);
    List<ClusterStatus.TaskVersion> differing = new ArrayList<>();
    List<ClusterStatus.TaskVersion> same = new ArrayList<>();
    on.forEach(
        (task, addresses) -> {
          boolean differs = versionsOfName.get(task.name()) > 1;
          ClusterStatus.TaskVersion version =
              new ClusterStatus.TaskVersion(
                  task.name(),
                  task.kind(),
                  task.fingerprint(),
                  addresses.size(),
                  differs ? List.copyOf(addresses) : List.of());
          (differs ? differing : same).add(version);
        });
    differing.addAll(same);
    return differing.toArray(new ClusterStatus.TaskVersion[0]);
  }

  /** An upper bound of what a version takes in a status. */
  static long bytes(ClusterStatus.TaskVersion version) {
    long bytes =
        64 + MessageBudget.text(version.task()) + MessageBudget.text(version.fingerprint());
    for (String node : version.nodes()) bytes += MessageBudget.text(node);
    return bytes;
  }
}
