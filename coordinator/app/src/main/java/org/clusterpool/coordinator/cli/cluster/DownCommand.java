package org.clusterpool.coordinator.cli.cluster;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
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
    Optional<ClusterState> found;
    String damaged = null;
    try {
      found = StateFile.read();
    } catch (CommandFailure e) {
      found = Optional.empty();
      damaged = e.getMessage().replaceAll("\\s*\\R\\s*", " "); // one line, as every error
    }
    // the state file may be lost, emptied or damaged while the cluster runs: its JVMs are found
    // by their command line too, or nothing could ever stop them
    List<ClusterState.Member> known = found.map(ClusterState::members).orElse(List.of());
    List<ClusterState.Member> strays = ClusterProcesses.strays(StateFile.location(), known);
    if (found.isEmpty() && strays.isEmpty()) {
      if (damaged != null) {
        StateFile.delete();
        out.println(
            "no cluster to stop: no JVM of this project's cluster runs; removed its damaged state ("
                + damaged
                + ")");
      } else {
        out.println("no cluster to stop: no state at " + StateFile.location());
      }
      out.flush();
      return ExitCodes.OK;
    }
    ClusterState state =
        found
            .map(s -> s.withMembers(concat(s.members(), strays)))
            .orElseGet(() -> byCommandLine(strays));
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
    if (!strays.isEmpty()) {
      out.println(
          (found.isEmpty()
                  ? (damaged != null
                      ? "the cluster state could not be read (" + damaged + ")"
                      : "no state at " + StateFile.location())
                  : "the state at " + StateFile.location() + " did not name them all")
              + ": found "
              + names(strays)
              + " by their command line (--state "
              + StateFile.location().toAbsolutePath()
              + ")");
    }
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
    out.println(
        "no process of the cluster remains"
            + (state.logs().isEmpty() ? "" : "; its logs stay in " + state.logs()));
    out.flush();
    return ExitCodes.OK;
  }

  private static List<ClusterState.Member> concat(
      List<ClusterState.Member> a, List<ClusterState.Member> b) {
    List<ClusterState.Member> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** A cluster that only its processes describe: its coordinators first. */
  private static ClusterState byCommandLine(List<ClusterState.Member> strays) {
    return new ClusterState("", "", "", 0, "", Instant.now(), false, strays, List.of(), "");
  }

  private static String names(List<ClusterState.Member> members) {
    return members.stream()
        .map(m -> m.name() + " (pid " + m.pid() + ")")
        .collect(Collectors.joining(", "));
  }
}
