package org.clusterpool.coordinator.cli.cluster;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.clusterpool.coordinator.cli.ExitCodes;
import org.clusterpool.coordinator.connect.ClusterState;
import org.clusterpool.coordinator.connect.CommandFailure;
import org.clusterpool.coordinator.connect.StateFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code cluster down}: supervision stops first, then every JVM leaves the cluster and exits
 * (SIGTERM runs its coordinated shutdown): the coordinator JVM stops supervising and stops its
 * worker JVMs while it still hears them go, then leaves; what does not stop in time is killed. Then
 * no process of the cluster remains, and the state file goes.
 */
@Command(
    name = "down",
    description =
        "Stop supervision, then every JVM of the cluster gracefully (they leave the cluster); check"
            + " that none remains.")
final class DownCommand implements Callable<Integer> {
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
    ClusterShutdown.Outcome outcome = ClusterShutdown.stop(state);
    if (!outcome.remaining().isEmpty()) {
      throw new CommandFailure(
          "these JVMs of the cluster are still running: "
              + names(outcome.remaining())
              + "; state kept in "
              + StateFile.location());
    }
    StateFile.delete();
    List<ClusterState.Member> gone =
        state.members().stream()
            .filter(ClusterState.Member::running)
            .filter(m -> outcome.stopped().stream().noneMatch(s -> s.pid() == m.pid()))
            .toList();
    out.printf(
        Locale.ROOT,
        "cluster down in %.1f s: %s%s%s%n",
        (System.nanoTime() - start) / 1e9,
        outcome.stopped().isEmpty()
            ? "none of its JVMs was running"
            : "stopped " + names(outcome.stopped()),
        outcome.killed().isEmpty()
            ? ""
            : " (killed after their grace period: " + names(outcome.killed()) + ")",
        gone.isEmpty() || outcome.stopped().isEmpty() ? "" : "; already gone: " + names(gone));
    out.println("no process of the cluster remains; its logs stay in " + state.logs());
    out.flush();
    return ExitCodes.OK;
  }

  private static String names(List<ClusterState.Member> members) {
    return members.stream()
        .map(m -> m.name() + " (pid " + m.pid() + ")")
        .collect(Collectors.joining(", "));
  }
}
