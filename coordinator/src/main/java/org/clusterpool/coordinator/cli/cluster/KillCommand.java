package org.clusterpool.coordinator.cli.cluster;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.clusterpool.coordinator.cli.CommandFailure;
import org.clusterpool.coordinator.cli.ExitCodes;
import org.clusterpool.coordinator.cli.UsageError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cluster kill I}: {@code kill -9} of worker node I, for fault demos. */
@Command(name = "kill", description = "kill -9 of worker node I (its number in 'cluster status'): no goodbye, for fault demos.")
final class KillCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "I", description = "The worker node's number, as 'cluster status' shows it.")
  int number;

  @Override
  public Integer call() {
    ClusterState state = RunningCluster.require();
    ClusterState.Member node = state.workers().stream().filter(m -> m.number() == number).findFirst()
        .orElseThrow(() -> new UsageError("no worker node " + number + ": the worker nodes are "
            + (state.workers().isEmpty() ? "none" : state.workers().stream().map(m -> Integer.toString(m.number())).collect(Collectors.joining(", ")))
            + " (see '" + ClusterCommand.program() + " cluster status')"));
    if (!Processes.alive(node)) {
      StateFile.write(state.withKilled(node));
      throw new CommandFailure(node.name() + " (pid " + node.pid() + ") is not running any more");
    }
    Processes.kill(node);
    if (!Processes.awaitExit(node, Duration.ofSeconds(10))) {
      throw new CommandFailure(node.name() + " (pid " + node.pid() + ") did not die of SIGKILL within 10 s");
    }
    StateFile.write(state.withKilled(node));
    PrintWriter out = spec.commandLine().getOut();
    out.println("killed " + node.name() + " (pid " + node.pid() + ", " + node.address() + ") with SIGKILL (kill -9): it said no goodbye.");
    out.println("Within seconds the others find it unreachable, the split brain resolver downs it, and the coordinator"
        + " gives its chunks to other workers; '" + ClusterCommand.program() + " cluster status' shows it.");
    out.flush();
    return ExitCodes.OK;
  }
}
