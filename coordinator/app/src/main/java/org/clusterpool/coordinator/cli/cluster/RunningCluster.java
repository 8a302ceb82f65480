package org.clusterpool.coordinator.cli.cluster;

import java.util.List;
import org.clusterpool.coordinator.connect.ClusterState;
import org.clusterpool.coordinator.connect.CommandFailure;
import org.clusterpool.coordinator.connect.StateFile;

/**
 * The cluster of the state file, for the commands that need it running: a clear error when it is
 * not.
 */
final class RunningCluster {
  private RunningCluster() {}

  static ClusterState require() {
    ClusterState state =
        StateFile.read()
            .orElseThrow(
                () ->
                    new CommandFailure(
                        "no cluster runs here (no state at "
                            + StateFile.location()
                            + "): start one with '"
                            + ClusterCommand.program()
                            + " cluster up N'"));
    ClusterState.Member coordinator =
        state
            .coordinator()
            .orElseThrow(
                () ->
                    new CommandFailure(
                        "the cluster state "
                            + StateFile.location()
                            + " names no coordinator: stop what is left with '"
                            + ClusterCommand.program()
                            + " cluster down'"));
    if (!MemberProcesses.alive(coordinator)) {
      List<ClusterState.Member> alive =
          state.members().stream().filter(MemberProcesses::alive).toList();
      throw new CommandFailure(
          "the cluster is not running: its coordinator (pid "
              + coordinator.pid()
              + ") is gone"
              + (alive.isEmpty() ? "" : " and " + alive.size() + " of its JVMs still run")
              + "; clean up with '"
              + ClusterCommand.program()
              + " cluster down', see the logs in "
              + state.logs());
    }
    return state;
  }
}
