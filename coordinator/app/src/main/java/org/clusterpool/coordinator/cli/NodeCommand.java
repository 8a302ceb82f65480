package org.clusterpool.coordinator.cli;

import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.clusterpool.coordinator.connect.CommandFailure;
import org.clusterpool.node.NodeMain;
import org.clusterpool.node.NodeOptions;
import org.clusterpool.node.member.JoinFailure;
import org.clusterpool.node.worker.WorkerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clusterpool node}: a worker member in the foreground, with K worker actors that pull work
 * from the coordinator wherever it runs. SIGTERM or Ctrl-C leaves the cluster (its chunks go back
 * to the queue at once); the JVM exits when its member is removed, downed included.
 */
@Command(
    name = "node",
    description = {
      "Run a worker member in the foreground: K worker actors that pull work from the coordinator.",
      "Example: clusterpool node --seed pekko://clusterpool@127.0.0.1:25520 --workers 2"
    })
final class NodeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin MemberOptions member = new MemberOptions();

  @Mixin TaskOptions tasks = new TaskOptions();

  @Option(
      names = {"-w", "--workers"},
      paramLabel = "K",
      description =
          "Worker actors on this node, like Pool(processes=K) (default:"
              + " clusterpool.worker.per-node, else one per processor).")
  Integer workers;

  @Override
  public Integer call() {
    Config config = member.config();
    if (workers != null && (workers < 1 || workers > WorkerSettings.MAX_PER_NODE))
      throw new UsageError(WorkerSettings.outOfRange("--workers", workers));
    if (member.seeds().isEmpty() && member.config.equals("local-cluster")) {
      throw new UsageError(
          "a node joins a cluster: give a member's address with --seed, like"
              + " pekko://clusterpool@127.0.0.1:25520 (what 'clusterpool coordinator' prints)");
    }
    // a worker needs no fixed port unless the deployment sets one (CLUSTERPOOL_PORT)
    int port =
        member.port(
            System.getenv("CLUSTERPOOL_PORT") != null
                ? config.getInt("pekko.remote.artery.canonical.port")
                : 0);
    tasks.catalog(
        config); // before anything starts: tasks that cannot be loaded are one line and exit code 2
    NodeOptions options =
        new NodeOptions(
            member.config,
            NodeOptions.WORKER,
            member.hostname,
            port,
            member.seeds(),
            workers == null ? 0 : workers,
            member.parentPid,
            tasks.given());
    options = member.withTransportOfCluster(options, config, "node");
    ActorSystem<Void> system;
    try {
      system = NodeMain.start(options);
    } catch (IllegalArgumentException e) { // its settings: no certificate, one its CA did not sign
      throw new UsageError("cannot start the node: " + e.getMessage());
    } catch (RuntimeException e) {
      throw new CommandFailure("cannot start the node: " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "clusterpool node "
            + Cluster.get(system).selfMember().address()
            + " (pid "
            + ProcessHandle.current().pid()
            + "), "
            + system.settings().config().getInt("clusterpool.worker.per-node")
            + " workers, "
            + TaskOptions.describe(tasks.catalog(config))
            + ", joining "
            + (member.seeds.isEmpty()
                ? "through the config's discovery"
                : String.join(", ", member.seeds))
            + "; Ctrl-C leaves");
    out.flush();
    NodeMain.exitWithNode(system);
    system.getWhenTerminated().toCompletableFuture().join();
    return JoinFailure.exitStatus(system);
  }
}
