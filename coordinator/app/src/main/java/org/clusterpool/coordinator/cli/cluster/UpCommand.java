package org.clusterpool.coordinator.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.clusterpool.coordinator.cli.DurationConverter;
import org.clusterpool.coordinator.cli.ExitCodes;
import org.clusterpool.coordinator.cli.TaskOptions;
import org.clusterpool.coordinator.cli.UsageError;
import org.clusterpool.coordinator.connect.ApiClient;
import org.clusterpool.coordinator.connect.ApiToken;
import org.clusterpool.coordinator.connect.ClusterState;
import org.clusterpool.coordinator.connect.CommandFailure;
import org.clusterpool.coordinator.connect.StateFile;
import org.clusterpool.coordinator.dashboard.LoginLink;
import org.clusterpool.coordinator.dashboard.LoginTickets;
import org.clusterpool.coordinator.members.PoolSession;
import org.clusterpool.node.catalog.AllowedTasks;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.config.LayeredConfig;
import org.clusterpool.node.launcher.Ports;
import org.clusterpool.node.launcher.SupervisionSettings;
import org.clusterpool.node.tls.Transport;
import org.clusterpool.node.worker.WorkerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cluster up N}: a coordinator JVM and N worker JVMs on loopback, started in the background;
 * returns once every worker reached the coordinator, and says how to use the cluster and how to
 * stop it. The coordinator JVM starts the worker JVMs and supervises them: one that ends is downed
 * at once and started again after a backoff ({@code --no-restart}: it stays dead).
 */
@Command(
    name = "up",
    description = {
      "Start a coordinator and N worker JVMs on this machine, in the background.",
      "The coordinator JVM supervises the worker JVMs: one that ends is downed at once and started"
          + " again after a delay",
      "that doubles while it keeps dying (clusterpool.supervision)."
    })
final class UpCommand implements Callable<Integer> {
  static final int FIRST_CLUSTER_PORT = 25520;
  static final int FIRST_HTTP_PORT = 8080;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "N", description = "Worker JVMs to start (1 to 64).")
  int nodes;

  @Option(
      names = {"-w", "--workers"},
      paramLabel = "K",
      description =
          "Worker actors per node (default: clusterpool.worker.per-node, else one per processor).")
  Integer workers;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description =
          "The coordinator's cluster port (default: the first free one from 25520); the worker"
              + " nodes take the next free ones.")
  Integer port;

  @Option(
      names = "--http-port",
      paramLabel = "PORT",
      description = "The HTTP API's port (default: the first free one from 8080).")
  Integer httpPort;

  @Option(
      names = "--heap",
      paramLabel = "SIZE",
      description = "The heap of each worker JVM, like 256m or 1g (default: 256m).")
  String heap = "256m";

  @Option(
      names = "--coordinator-heap",
      paramLabel = "SIZE",
      description = "The coordinator's heap, which holds the HTTP API's results (default: 512m).")
  String coordinatorHeap = Launch.COORDINATOR_HEAP;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long to wait for the workers to join (default: 2m).")
  Duration timeout = Duration.ofMinutes(2);

  @Option(
      names = "--no-restart",
      description =
          "A worker JVM that ends stays dead (for demos of a shrinking cluster); by default the"
              + " coordinator JVM starts a new one.")
  boolean noRestart;

  @Option(
      names = "--transport",
      paramLabel = "tls|tcp",
      description =
          "How the members speak: tls (mutual TLS with a CA made for this cluster, the default) or"
              + " tcp (plain, for speed comparisons only: whoever reaches the ports can join).")
  String transport = "tls";

  @Mixin TaskOptions tasks = new TaskOptions();

  @Override
  public Integer call() {
    if (nodes < 1 || nodes > 64)
      throw new UsageError("cluster up takes 1 to 64 worker nodes, got " + nodes);
    int perNode = workersPerNode(workers);
    checkHeap("--heap", heap);
    checkHeap("--coordinator-heap", coordinatorHeap);
    Transport chosen = transport();
    Config config = LayeredConfig.load("local-cluster");
    TaskCatalog catalog =
        tasks.catalog(config); // what is wrong with the tasks is said here, before any JVM starts
    try {
      AllowedTasks.fromConfig(config); // as the coordinator JVM reads it, said before it starts
    } catch (IllegalArgumentException e) {
      throw new UsageError(e.getMessage());
    }
    List<Path> taskPaths = tasks.resolved(config).paths();
    // from the check that no cluster runs until this one is up or has failed: a second 'up' now
    // is refused at once, instead of starting a second cluster that takes this one's state file
    try (UpLock lock = UpLock.acquire(StateFile.location())) {
      refuseIfRunning();
      return startCluster(perNode, chosen, catalog, taskPaths);
    }
  }

  private int startCluster(
      int perNode, Transport chosen, TaskCatalog catalog, List<Path> taskPaths) {
    PrintWriter out = spec.commandLine().getOut();
    long start = System.nanoTime();

    Set<Integer> taken = new HashSet<>();
    int clusterPort = port(port, FIRST_CLUSTER_PORT, "--port", taken);
    int apiPort = port(httpPort, FIRST_HTTP_PORT, "--http-port", taken);
    Path logs = PoolSession.logDirectory().resolve("cluster");
    clearLogs(logs);

    AtomicReference<ClusterState.Member> started = new AtomicReference<>();
    Thread cleanup = new Thread(() -> stop(started.get()), "clusterpool-cluster-up-interrupted");
    Runtime.getRuntime()
        .addShutdownHook(cleanup); // Ctrl-C while the cluster forms leaves nothing behind
    boolean ready = false;
    try {
      // the coordinator JVM starts the worker JVMs and supervises them; it writes the state file
      // one token per cluster: its coordinator JVM gets it in its environment (not its command
      // line, which anyone may
      // read) and keeps it in the state file, readable by this user only, where the commands find
      // it
      String token = ApiToken.random();
      ClusterState.Member coordinator =
          Launch.coordinator(
              clusterPort,
              apiPort,
              coordinatorHeap,
              logs,
              new Launch.Workers(
                  nodes, perNode, heap, !noRestart, StateFile.location(), taskPaths, chosen),
              token);
      started.set(coordinator);
      ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + apiPort), token);
      List<String> names =
          IntStream.rangeClosed(1, nodes).mapToObj(i -> "worker-node-" + i).toList();
      ClusterWait.Joined joined =
          ClusterWait.forNodes(
              api, coordinator, names, perNode, timeout, logs, "the cluster formed");
      ready = true;
      printReady(out, joined.state(), joined.cluster(), (System.nanoTime() - start) / 1e9, catalog);
      return ExitCodes.OK;
    } finally {
      if (!ready) stop(started.get());
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook runs
      }
    }
  }

  private Transport transport() {
    try {
      return Transport.parse(transport);
    } catch (IllegalArgumentException e) {
      throw new UsageError(e.getMessage());
    }
  }

  /**
   * A cluster that did not form: its coordinator (which stops its worker JVMs), what remains of
   * them, its state.
   */
  private static void stop(ClusterState.Member coordinator) {
    if (coordinator == null) return;
    ClusterState known;
    try {
      known = StateFile.read().orElse(null);
    } catch (CommandFailure e) {
      known = null; // damaged: whose it is nobody can tell, so it stays for 'cluster down'
    }
    boolean ours =
        known != null && known.coordinator().map(c -> c.pid() == coordinator.pid()).orElse(false);
    if (!ours) {
      known =
          new ClusterState(
              "",
              coordinator.address(),
              "",
              0,
              "",
              Instant.now(),
              false,
              List.of(coordinator),
              List.of(),
              "");
    }
    ClusterShutdown.stop(known);
    // another cluster's state (one started meanwhile) is that cluster's record: it stays
    if (ours) StateFile.delete();
  }

  /** The worker actors of each node: given, or as a node would choose by itself on this machine. */
  static int workersPerNode(Integer given) {
    if (given != null) {
      if (given < 1 || given > WorkerSettings.MAX_PER_NODE)
        throw new UsageError(WorkerSettings.outOfRange("--workers", given));
      return given;
    }
    int configured = LayeredConfig.load("local-cluster").getInt("clusterpool.worker.per-node");
    return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
  }

  static void checkHeap(String option, String heap) {
    if (!heap.toLowerCase(Locale.ROOT).matches("[0-9]{1,6}[mg]")) {
      throw new UsageError(option + " expects a size like 256m or 1g, got '" + heap + "'");
    }
  }

  private static void refuseIfRunning() {
    Optional<ClusterState> existing = StateFile.read();
    if (existing.isPresent()) {
      ClusterState state = existing.get();
      List<ClusterState.Member> alive =
          state.members().stream().filter(MemberProcesses::alive).toList();
      boolean coordinatorGone = state.coordinator().filter(MemberProcesses::alive).isEmpty();
      if (!alive.isEmpty() && coordinatorGone) {
        // its worker JVMs watch its process, and leave once they see it gone
        throw new CommandFailure(
            "the last cluster's coordinator is gone, and "
                + alive.size()
                + " of its worker JVMs still run: they leave on their own within about 20 s;"
                + " wait for them, or stop them now with '"
                + ClusterCommand.program()
                + " cluster down'");
      }
      if (!alive.isEmpty()) {
        throw new CommandFailure(
            "a cluster runs already ("
                + state.http()
                + ", started "
                + state.started()
                + ", "
                + alive.size()
                + " JVMs alive): use it, or stop it first with '"
                + ClusterCommand.program()
                + " cluster down'");
      }
    }
    // a state file lost while its cluster ran: that cluster's JVMs still run, and would take it
    List<ProcessHandle> strays = ClusterProcesses.coordinators(StateFile.location());
    if (!strays.isEmpty()) {
      throw new CommandFailure(
          "a cluster runs already that its state file does not name (its coordinator, found by"
              + " its command line: pid "
              + strays.get(0).pid()
              + "): stop it first with '"
              + ClusterCommand.program()
              + " cluster down'");
    }
    if (existing.isPresent()) StateFile.delete(); // what is left of a cluster that is gone
  }

  /** The port given (refused when taken), or the first free one from {@code first}. */
  static int port(Integer given, int first, String option, Set<Integer> taken) {
    int chosen;
    if (given != null) {
      if (given < 1 || given > 65535)
        throw new UsageError(option + " must be a port from 1 to 65535, got " + given);
      if (taken.contains(given) || !Ports.isFree(given)) {
        throw new UsageError(
            "port "
                + given
                + " on 127.0.0.1 is taken: choose another with "
                + option
                + ", or leave it out to take a free one");
      }
      chosen = given;
    } else {
      chosen = Ports.freeFrom(first, taken);
    }
    taken.add(chosen);
    return chosen;
  }

  /**
   * The logs of the last cluster are of no use to this one, and appending to them would mix the
   * two.
   */
  private static void clearLogs(Path logs) {
    try {
      Files.createDirectories(logs);
      try (DirectoryStream<Path> files = Files.newDirectoryStream(logs, "*.log")) {
        for (Path file : files) Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new CommandFailure("cannot prepare the log folder " + logs + ": " + e.getMessage());
    }
  }

  private void printReady(
      PrintWriter out, ClusterState state, JsonNode cluster, double seconds, TaskCatalog catalog) {
    String program = ClusterCommand.program();
    out.printf(
        Locale.ROOT,
        "cluster up in %.1f s: a coordinator and %d worker %s of %d workers each, on 127.0.0.1%n",
        seconds,
        nodes,
        nodes == 1 ? "node" : "nodes",
        state.workersPerNode());
    ClusterReport.members(out, cluster, state);
    out.println(
        "security: "
            + (transport().equals(Transport.TCP)
                ? "the members speak plain TCP (--transport tcp): whoever reaches their ports can"
                    + " join the cluster"
                : "the members speak mutual TLS, with certificates of a CA made for this cluster ("
                    + SupervisedCluster.caDirectory(
                        StateFile.location(),
                        state.coordinator().map(ClusterState.Member::pid).orElse(0L))
                    + ")"));
    out.println("HTTP API: " + state.http());
    out.println(
        "dashboard: "
            + LoginLink.of(URI.create(state.http()), Optional.of(state.token()))
            + "  (opens once, within "
            + LoginTickets.VALID.toMinutes()
            + " min; a new link: "
            + program
            + " cluster dashboard)");
    out.println("tasks:    " + tasksLine(state, catalog));
    out.println("logs:     " + state.logs());
    out.println("state:    " + StateFile.location());
    out.println("restarts: " + restarts(state.restart()));
    out.println("use it:   " + program + " map whoami 1..12 --connect");
    out.println("          " + program + " cluster status");
    out.println(
        "          curl -s -H \"Authorization: Bearer $("
            + program
            + " cluster token)\" "
            + state.http()
            + "/cluster");
    out.println(
        "token:    the HTTP API asks for the cluster's token, kept in the state file (readable by"
            + " you only); --connect and the cluster commands send it");
    out.println("faults:   " + program + " cluster add 1       (one more worker node)");
    out.println(
        "          "
            + program
            + " cluster kill 1      (kill -9 of worker node 1: downed at once, then "
            + (state.restart() ? "replaced)" : "it stays dead)"));
    out.println("stop it:  " + program + " cluster down");
    out.flush();
  }

  /**
   * {@code 19 tasks (2 of your own: cube, volume), from /home/me/cube-task.jar}: what every JVM of
   * the cluster runs.
   */
  static String tasksLine(ClusterState state, TaskCatalog catalog) {
    return TaskOptions.describe(catalog)
        + (state.tasks().isEmpty() ? "" : ", from " + String.join(", ", state.tasks()));
  }

  /** What happens to a worker JVM that ends, as the coordinator JVM will do it. */
  static String restarts(boolean restart) {
    if (!restart)
      return "off (--no-restart): a worker JVM that ends is downed at once and stays dead";
    SupervisionSettings s = SupervisionSettings.fromConfig(LayeredConfig.load("local-cluster"));
    return "a worker JVM that ends is downed at once and started again by the coordinator JVM after"
        + " "
        + ClusterReport.seconds(s.backoffMin())
        + ", doubling up to "
        + ClusterReport.seconds(s.backoffMax())
        + " while it keeps dying";
  }
}
