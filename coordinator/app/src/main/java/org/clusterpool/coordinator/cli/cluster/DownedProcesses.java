package org.clusterpool.coordinator.cli.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.clusterpool.node.launcher.JvmProcess;
import org.clusterpool.node.launcher.NodeSupervisor;
import org.clusterpool.node.launcher.SupervisedNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills the worker JVM whose member the cluster has downed or removed while its process lives on,
 * so that the {@link NodeSupervisor} sees it end and starts a new one. A downed member exits by
 * itself within seconds (clusterpool.node.exit-when-removed); one that does not, a JVM frozen by
 * {@code kill -STOP} or swapped out, would otherwise hold its node's slot for ever: shown running,
 * with no worker in the cluster, until someone resumes or kills it. The coordinator JVM owns the
 * process, so it decides: after {@code grace}, a kill -9 and a line in its log that says why.
 *
 * <p>It reads the cluster's state a few times a second on a thread of its own; only members it has
 * seen join count as removed when they are gone, so a JVM still joining is left alone.
 */
final class DownedProcesses implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DownedProcesses.class);
  private static final long POLL_MILLIS = 500;

  private final NodeSupervisor supervisor;
  private final Cluster cluster;
  private final Duration grace;
  private final ScheduledExecutorService thread;

  /** Touched on {@link #thread} only: the pids whose member was seen, and since when downed. */
  private final Set<Long> joined = new HashSet<>();

  private final Map<Long, Long> downedSince = new HashMap<>();

  private DownedProcesses(NodeSupervisor supervisor, Cluster cluster, Duration grace) {
    this.supervisor = supervisor;
    this.cluster = cluster;
    this.grace = grace;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "clusterpool-downed-processes");
              t.setDaemon(true);
              return t;
            });
  }

  static DownedProcesses start(NodeSupervisor supervisor, Cluster cluster, Duration grace) {
    DownedProcesses watch = new DownedProcesses(supervisor, cluster, grace);
    watch.thread.scheduleWithFixedDelay(
        watch::guardedCheck, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    return watch;
  }

  private void guardedCheck() {
    try {
      check();
    } catch (RuntimeException e) {
      log.warn("could not check the worker JVMs against the cluster's members: {}", e.toString());
    }
  }

  private void check() {
    Map<Integer, Member> members = new HashMap<>();
    for (Member m : cluster.state().getMembers())
      m.address().getPort().ifPresent(port -> members.put(port, m));
    List<SupervisedNode> running =
        supervisor.nodes().stream().filter(n -> n.state() == SupervisedNode.State.RUNNING).toList();
    Set<Long> pids = new HashSet<>();
    for (SupervisedNode node : running) {
      pids.add(node.pid());
      Member member = members.get(node.port());
      MemberStatus status = member == null ? null : member.status();
      boolean out;
      if (status == null) {
        out = joined.contains(node.pid()); // removed from the cluster since it was seen
      } else {
        joined.add(node.pid());
        out = status == MemberStatus.down() || status == MemberStatus.removed();
      }
      if (!out) {
        downedSince.remove(node.pid());
        continue;
      }
      long since = downedSince.computeIfAbsent(node.pid(), pid -> System.nanoTime());
      if (System.nanoTime() - since >= grace.toNanos()) kill(node, status);
    }
    joined.retainAll(pids);
    downedSince.keySet().retainAll(pids);
  }

  private void kill(SupervisedNode node, MemberStatus status) {
    Optional<JvmProcess> process =
        supervisor.processes().stream().filter(p -> p.pid() == node.pid()).findFirst();
    if (process.isEmpty() || !process.get().isAlive()) return;
    log.warn(
        "{} (pid {}): the cluster has {} its member, but its JVM is still there {} s later (frozen,"
            + " or it cannot exit): killed, so that a new JVM takes its place",
        node.name(),
        node.pid(),
        status == null ? "removed" : "downed",
        grace.toSeconds());
    process.get().kill();
    downedSince.remove(node.pid());
  }

  /** Stops watching: the cluster is stopping, and its worker JVMs are stopped on purpose. */
  @Override
  public void close() {
    thread.shutdownNow();
  }
}
