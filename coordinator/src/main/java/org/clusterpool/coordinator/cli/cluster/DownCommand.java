package org.clusterpool.coordinator.cli.cluster;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.clusterpool.coordinator.cli.CommandFailure;
import org.clusterpool.coordinator.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code cluster down}: every JVM leaves the cluster and exits (SIGTERM runs its coordinated shutdown), the
 * worker nodes first so that the coordinator hears them go; what does not stop in time is killed. Then no
 * process of the cluster remains, and the state file goes.
 */
@Command(name = "down", description = "Stop every JVM of the cluster gracefully (they leave the cluster), then check that none remains.")
final class DownCommand implements Callable<Integer> {
  private static final Duration GRACE = Duration.ofSeconds(20);

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Optional<ClusterState> found = StateFile.read();
    if (found.isEmpty()) {
      out.println("no cluster to stop: no state at " + StateFile.location());
      out.flush();
      return ExitCodes.OK;
    }
    ClusterState state = found.get();
    long start = System.nanoTime();
    List<ClusterState.Member> running = state.members().stream().filter(Processes::alive).toList();
    List<ClusterState.Member> gone = state.live().stream().filter(m -> !running.contains(m)).toList();
    List<ClusterState.Member> killed = new ArrayList<>();
    List<ClusterState.Member> workers = running.stream().filter(m -> m.role().equals(ClusterState.WORKER)).toList();
    List<ClusterState.Member> coordinators = running.stream().filter(m -> !m.role().equals(ClusterState.WORKER)).toList();
    stop(workers, killed);
    stop(coordinators, killed);
    List<ClusterState.Member> left = state.members().stream().filter(Processes::alive).toList();
    if (!left.isEmpty()) {
      throw new CommandFailure("these JVMs of the cluster are still running: " + names(left) + "; state kept in " + StateFile.location());
    }
    StateFile.delete();
    out.printf(Locale.ROOT, "cluster down in %.1f s: %s%s%s%n",
        (System.nanoTime() - start) / 1e9,
        running.isEmpty() ? "none of its JVMs was running" : "stopped " + names(running),
        killed.isEmpty() ? "" : " (killed after " + GRACE.toSeconds() + " s: " + names(killed) + ")",
        gone.isEmpty() || running.isEmpty() ? "" : "; already gone: " + names(gone));
    out.println("no process of the cluster remains; its logs stay in " + state.logs());
    out.flush();
    return ExitCodes.OK;
  }

  /** SIGTERM to all at once, then each gets the grace period; SIGKILL for the ones that outlast it. */
  private static void stop(List<ClusterState.Member> members, List<ClusterState.Member> killed) {
    for (ClusterState.Member member : members) Processes.terminate(member);
    long deadline = System.nanoTime() + GRACE.toNanos();
    for (ClusterState.Member member : members) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      if (!Processes.awaitExit(member, left)) {
        killed.add(member);
        Processes.kill(member);
        Processes.awaitExit(member, Duration.ofSeconds(10));
      }
    }
  }

  private static String names(List<ClusterState.Member> members) {
    return members.stream().map(m -> m.name() + " (pid " + m.pid() + ")").collect(Collectors.joining(", "));
  }
}
