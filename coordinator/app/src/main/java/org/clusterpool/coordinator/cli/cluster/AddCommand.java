package org.clusterpool.coordinator.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.clusterpool.coordinator.cli.DurationConverter;
import org.clusterpool.coordinator.cli.ExitCodes;
import org.clusterpool.coordinator.cli.TaskOptions;
import org.clusterpool.coordinator.cli.UsageError;
import org.clusterpool.coordinator.connect.ApiClient;
import org.clusterpool.coordinator.connect.ClusterState;
import org.clusterpool.coordinator.connect.CommandFailure;
import org.clusterpool.node.config.LayeredConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cluster add N}: N more worker JVMs join the running cluster; the next job (and the running
 * ones) use them. The coordinator JVM starts them ({@code POST /nodes}), so that it supervises them
 * like the first ones, with the tasks the cluster was started with. {@code --tasks}, if given, must
 * name those: the HTTP API never starts a JVM on paths that come over the network, so a node of
 * other tasks joins by {@code clusterpool node --tasks}.
 */
@Command(
    name = "add",
    description =
        "Start N more worker JVMs, supervised like the others; they join the cluster and pull work,"
            + " from running jobs too.")
final class AddCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "N", description = "Worker JVMs to add (1 to 64).")
  int count;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long to wait for them to join (default: 2m).")
  Duration timeout = Duration.ofMinutes(2);

  @Mixin TaskOptions tasks = new TaskOptions();

  @Override
  public Integer call() {
    if (count < 1 || count > 64)
      throw new UsageError("cluster add takes 1 to 64 worker nodes, got " + count);
    if (!tasks.given().isEmpty())
      tasks.catalog(LayeredConfig.load("local-cluster")); // what is wrong with them, first
    ClusterState state = RunningCluster.require();
    checkTasks(state);
    long start = System.nanoTime();
    ApiClient api = new ApiClient(URI.create(state.http()), state.token());
    JsonNode answer;
    try {
      answer = api.post("/nodes", JsonNodeFactory.instance.objectNode().put("count", count));
    } catch (ApiClient.Unreachable e) {
      // the request may have reached it: a retry could start them twice
      throw new CommandFailure(
          "the coordinator did not say it started the worker JVMs: "
              + e.getMessage()
              + "; it may start them still: see 'cluster status' before adding again");
    } catch (ApiClient.Failure e) {
      throw new CommandFailure("the coordinator did not start the worker JVMs: " + e.getMessage());
    }
    List<String> names = new ArrayList<>();
    answer.path("nodes").forEach(n -> names.add(n.path("name").asText()));
    Path logs = Path.of(state.logs());
    ClusterWait.Joined joined;
    try {
      joined =
          ClusterWait.forNodes(
              api,
              state.coordinator().orElseThrow(),
              names,
              state.workersPerNode(),
              timeout,
              logs,
              "it joined (it stays supervised: 'cluster down' stops it)");
    } catch (CommandFailure e) {
      throw new CommandFailure(
          e.getMessage()
              + "; "
              + String.join(", ", names)
              + " stay supervised by the coordinator: 'cluster status' shows them, 'cluster kill"
              + " I' stops one");
    }
    PrintWriter out = spec.commandLine().getOut();
    for (String name : names) {
      ClusterState.Member node = joined.state().member(name).orElseThrow();
      out.println(
          "added "
              + node.name()
              + " (pid "
              + node.pid()
              + ", "
              + node.address()
              + ") with "
              + state.workersPerNode()
              + " workers");
    }
    long workerNodes =
        joined.state().workers().stream().filter(ClusterState.Member::running).count();
    if (!state.tasks().isEmpty())
      out.println("with the cluster's tasks: " + String.join(", ", state.tasks()));
    out.printf(
        Locale.ROOT,
        "joined in %.1f s: the cluster has %d worker nodes and %d workers; new and running jobs use"
            + " them%n",
        (System.nanoTime() - start) / 1e9,
        workerNodes,
        joined.cluster().path("workers").size());
    out.flush();
    return ExitCodes.OK;
  }

  /**
   * The nodes added run the cluster's tasks; {@code --tasks} may say so (a script that gives both
   * commands the same options), and is checked as any command checks it, but other paths are
   * refused: they would have to travel to the coordinator JVM over its HTTP API, which starts no
   * JVM on a path given over the network.
   */
  private void checkTasks(ClusterState state) {
    if (tasks.given().isEmpty()) return;
    List<String> given = tasks.given().stream().map(Path::toString).toList();
    if (areTheClusters(tasks.given(), state.tasks())) return;
    throw new UsageError(
        "cluster add starts its JVMs with the tasks the cluster was started with ("
            + (state.tasks().isEmpty() ? "none of your own" : String.join(", ", state.tasks()))
            + "), not "
            + String.join(", ", given)
            + ": a node of other tasks joins with '"
            + ClusterCommand.program()
            + " node --seed "
            + state.seed()
            + " --tasks PATH'");
  }

  /**
   * Whether each path given is one of the cluster's, as the file system names it (a symlink, or
   * {@code ../x.jar}, names the same jar): a part of the cluster's paths, or all in another order.
   */
  static boolean areTheClusters(List<Path> given, List<String> clusters) {
    java.util.Set<Path> theirs = new java.util.HashSet<>();
    for (String path : clusters) theirs.add(real(Path.of(path)));
    for (Path path : given) if (!theirs.contains(real(path))) return false;
    return true;
  }

  private static Path real(Path path) {
    try {
      return path.toRealPath();
    } catch (java.io.IOException | SecurityException e) {
      return path.toAbsolutePath().normalize();
    }
  }
}
