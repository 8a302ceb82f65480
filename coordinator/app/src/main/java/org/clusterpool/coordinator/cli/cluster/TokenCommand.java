package org.clusterpool.coordinator.cli.cluster;

import java.util.concurrent.Callable;
import org.clusterpool.coordinator.cli.ExitCodes;
import org.clusterpool.coordinator.connect.ClusterState;
import org.clusterpool.coordinator.connect.CommandFailure;
import org.clusterpool.coordinator.connect.StateFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code cluster token}: prints the running cluster's HTTP API token, alone on its line, for a
 * program that is not clusterpool: {@code curl -H "Authorization: Bearer $(clusterpool cluster
 * token)" ...}. It comes from the state file, which only this user can read; clusterpool's own
 * commands read it there themselves.
 */
@Command(
    name = "token",
    description = {
      "Print the running cluster's HTTP API token, for curl and other clients:",
      "  curl -H \"Authorization: Bearer $(clusterpool cluster token)\""
          + " http://127.0.0.1:8080/cluster"
    })
final class TokenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ClusterState state = RunningCluster.require();
    if (state.token().isBlank()) {
      throw new CommandFailure(
          "the cluster's HTTP API asks for no token (its state "
              + StateFile.location()
              + " holds none)");
    }
    spec.commandLine().getOut().println(state.token());
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
