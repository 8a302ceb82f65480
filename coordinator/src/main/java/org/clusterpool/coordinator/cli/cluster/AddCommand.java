package org.clusterpool.coordinator.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.clusterpool.coordinator.cli.DurationConverter;
import org.clusterpool.coordinator.cli.ExitCodes;
import org.clusterpool.coordinator.cli.UsageError;
import org.clusterpool.coordinator.http.ApiClient;
import org.clusterpool.node.launcher.Ports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cluster add N}: N more worker JVMs join the running cluster; the next job (and the running ones) use them. */
@Command(name = "add", description = "Start N more worker JVMs; they join the cluster and pull work, from running jobs too.")
final class AddCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "N", description = "Worker JVMs to add (1 to 64).")
  int count;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, description = "How long to wait for them to join (default: 2m).")
  Duration timeout = Duration.ofMinutes(2);

  @Override
  public Integer call() {
    if (count < 1 || count > 64) throw new UsageError("cluster add takes 1 to 64 worker nodes, got " + count);
    ClusterState state = RunningCluster.require();
    long start = System.nanoTime();
    Path logs = Path.of(state.logs());
    Set<Integer> taken = new HashSet<>();
    state.members().forEach(m -> taken.add(m.port()));
    int firstPort = state.members().stream().mapToInt(ClusterState.Member::port).max().orElse(UpCommand.FIRST_CLUSTER_PORT) + 1;
    List<ClusterState.Member> members = new ArrayList<>(state.members());
    List<ClusterState.Member> added = new ArrayList<>();
    int number = state.lastWorker();
    boolean joined = false;
    try {
      for (int i = 0; i < count; i++) {
        int port = Ports.freeFrom(firstPort, taken);
        taken.add(port);
        ClusterState.Member node = Launch.worker(++number, port, state.seed(), state.workersPerNode(), state.heap(), logs);
        added.add(node);
        members.add(node);
        StateFile.write(state.withMembers(members, number)); // 'cluster down' stops them whatever happens next
      }
      ApiClient api = new ApiClient(URI.create(state.http()));
      JsonNode cluster = ClusterWait.forWorkers(api, added, added, state.workersPerNode(), timeout, logs);
      joined = true;
      PrintWriter out = spec.commandLine().getOut();
      for (ClusterState.Member node : added) {
        out.println("added " + node.name() + " (pid " + node.pid() + ", " + node.address() + ") with " + state.workersPerNode() + " workers");
      }
      long workerNodes = members.stream().filter(m -> m.role().equals(ClusterState.WORKER)).count();
      out.printf(Locale.ROOT, "joined in %.1f s: the cluster has %d worker nodes and %d workers; new and running jobs use them%n",
          (System.nanoTime() - start) / 1e9, workerNodes, cluster.path("workers").size());
      out.flush();
      return ExitCodes.OK;
    } finally {
      if (!joined) {
        UpCommand.stopAll(added);
        List<ClusterState.Member> kept = new ArrayList<>(members);
        kept.removeAll(added);
        StateFile.write(state.withMembers(kept, number));
      }
    }
  }
}
