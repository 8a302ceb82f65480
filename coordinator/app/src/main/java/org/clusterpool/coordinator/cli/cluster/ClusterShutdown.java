package org.clusterpool.coordinator.cli.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clusterpool.coordinator.connect.ClusterState;
import org.clusterpool.coordinator.connect.CommandFailure;
import org.clusterpool.coordinator.connect.StateFile;

/**
 * Stops the JVMs of a cluster of {@code cluster up}. The coordinator JVM goes first (SIGTERM): it
 * supervises the worker JVMs, so it stops supervising before anything else (nothing is started
 * again), then stops them while it is still in the cluster, then leaves. Then whatever worker JVM
 * the state file names and still runs gets SIGTERM itself (a coordinator already gone, or one that
 * ran out of time), and what outlasts the grace period is killed.
 */
final class ClusterShutdown {
  private ClusterShutdown() {}

  /**
   * Longer than the coordinator's own shutdown, which stops its worker JVMs within its first phase
   * (20 s).
   */
  static final Duration COORDINATOR_GRACE = Duration.ofSeconds(40);

  static final Duration GRACE = Duration.ofSeconds(20);

  /**
   * The JVMs that were running, the ones that had to be killed, and any still there (none, unless
   * the system refused).
   */
  record Outcome(
      List<ClusterState.Member> stopped,
      List<ClusterState.Member> killed,
      List<ClusterState.Member> remaining) {}

  /** Stops every JVM of {@code known} and of the state file as the coordinator left it. */
  static Outcome stop(ClusterState known) {
    Map<Long, ClusterState.Member> seen = new LinkedHashMap<>();
    known.members().stream().filter(MemberProcesses::alive).forEach(m -> seen.put(m.pid(), m));
    List<ClusterState.Member> killed = new ArrayList<>();
    known
        .coordinator()
        .filter(MemberProcesses::alive)
        .ifPresent(c -> stop(List.of(c), COORDINATOR_GRACE, killed));
    // what the coordinator started since 'known' was read, and whatever did not stop with it
    lastState()
        .filter(state -> sameCoordinator(state, known))
        .ifPresent(
            state ->
                state.members().stream()
                    .filter(MemberProcesses::alive)
                    .forEach(m -> seen.putIfAbsent(m.pid(), m)));
    stop(seen.values().stream().filter(MemberProcesses::alive).toList(), GRACE, killed);
    List<ClusterState.Member> all = List.copyOf(seen.values());
    return new Outcome(all, killed, all.stream().filter(MemberProcesses::alive).toList());
  }

  /**
   * The state file names the coordinator of {@code known}: not another cluster's, started since.
   */
  private static boolean sameCoordinator(ClusterState state, ClusterState known) {
    return known.coordinator().isEmpty()
        || state.coordinator().map(c -> c.pid() == known.coordinator().get().pid()).orElse(false);
  }

  private static Optional<ClusterState> lastState() {
    try {
      return StateFile.read();
    } catch (CommandFailure e) {
      return Optional.empty(); // unreadable: the members known before are all there is
    }
  }

  /**
   * SIGTERM to all at once, then each gets the grace period; SIGKILL for the ones that outlast it.
   */
  private static void stop(
      List<ClusterState.Member> members, Duration grace, List<ClusterState.Member> killed) {
    for (ClusterState.Member member : members) MemberProcesses.terminate(member);
    long deadline = System.nanoTime() + grace.toNanos();
    for (ClusterState.Member member : members) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      if (!MemberProcesses.awaitExit(member, left)) {
        killed.add(member);
        MemberProcesses.kill(member);
        MemberProcesses.awaitExit(member, Duration.ofSeconds(10));
      }
    }
  }
}
