package org.clusterpool.coordinator.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.clusterpool.coordinator.cli.ExitCodes;
import org.clusterpool.coordinator.connect.ApiClient;
import org.clusterpool.coordinator.connect.ClusterState;
import org.clusterpool.coordinator.connect.CommandFailure;
import org.clusterpool.coordinator.connect.StateFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code cluster status}: members, workers and the coordinator's queue, as the HTTP API tells them,
 * and the log folder.
 */
@Command(
    name = "status",
    description =
        "Members (address, roles, status, reachable, pid), worker JVMs (restarts, last exit),"
            + " workers (chunks done, in flight), the coordinator's queue.")
final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ClusterState state = RunningCluster.require();
    JsonNode cluster;
    try {
      cluster = new ApiClient(URI.create(state.http()), state.token()).get("/cluster");
    } catch (ApiClient.Unreachable | ApiClient.Failure e) {
      RunningCluster.require(); // a coordinator that died just now is said as such
      throw new CommandFailure(
          "the cluster's HTTP API does not answer: "
              + e.getMessage()
              + "; see the logs in "
              + state.logs());
    }
    PrintWriter out = spec.commandLine().getOut();
    Duration up = Duration.between(state.started(), Instant.now());
    out.println(
        "cluster "
            + state.http()
            + ", up for "
            + human(up)
            + ", seen from "
            + cluster.path("self").asText());
    ClusterReport.members(out, cluster, state);
    ClusterReport.nodes(
        out, StateFile.read().orElse(state)); // as the coordinator wrote it last, a moment ago
    ClusterReport.workers(out, cluster);
    ClusterReport.tasks(out, cluster);
    ClusterReport.queue(out, cluster);
    out.println("logs:  " + state.logs());
    out.println("state: " + StateFile.location());
    out.flush();
    return ExitCodes.OK;
  }

  private static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 60) return s + " s";
    if (s < 3600) return (s / 60) + " min " + (s % 60) + " s";
    return (s / 3600) + " h " + (s % 3600 / 60) + " min";
  }
}
