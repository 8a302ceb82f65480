package org.clusterpool.coordinator.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Stack;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.clusterpool.coordinator.connect.ApiClient;
import org.clusterpool.coordinator.connect.ClusterState;
import org.clusterpool.coordinator.connect.StateFile;
import org.clusterpool.coordinator.demo.PoolDashboard;
import org.clusterpool.coordinator.members.PoolSession;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.catalog.TaskPaths;
import org.clusterpool.node.worker.WorkerSettings;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where a command's work runs, and with which tasks. Embedded (the default): the workers are actors
 * of this JVM. With {@code --nodes N}: N worker JVMs started on this machine for this command,
 * stopped after it. With {@code --connect [URL]}: a running cluster, through its coordinator's HTTP
 * API. {@code --tasks PATH} adds the user's own tasks, here and in every JVM the command starts;
 * {@code --connect} to the cluster that {@code cluster up} started takes that cluster's tasks
 * unless {@code --tasks} is given.
 */
final class PoolOptions {

  @Mixin TaskOptions tasks = new TaskOptions();

  @Option(
      names = {"-w", "--workers"},
      paramLabel = "N",
      description =
          "Worker actors per node (this JVM, or each --nodes JVM), like Pool(processes=N) (default:"
              + " one per processor).")
  Integer workers;

  @Option(
      names = "--nodes",
      paramLabel = "N",
      description =
          "Run on N worker JVMs started on this machine for this command (this JVM coordinates),"
              + " stopped after it.")
  Integer nodes;

  @Option(
      names = "--connect",
      arity = "0..1",
      paramLabel = "URL",
      preprocessor = ConnectPreprocessor.class,
      description =
          "Submit to a running cluster through its HTTP API, at URL (like http://127.0.0.1:8080),"
              + " or without URL to the one 'clusterpool cluster up' started.")
  String connect;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "With --connect: the file that holds the HTTP API's token, readable by you only (default:"
              + " CLUSTERPOOL_TOKEN, else the token of the cluster 'cluster up' started, else"
              + " ~/.clusterpool/http-token).")
  Path tokenFile;

  @Option(
      names = "--ca-file",
      paramLabel = "FILE",
      description =
          "With --connect https://...: the certificate of the CA that signed the HTTP API's (PEM,"
              + " like the ca.crt of 'clusterpool certificates'), trusted instead of the JDK's"
              + " authorities (default: CLUSTERPOOL_CA_FILE).")
  Path caFile;

  @Option(
      names = "--dashboard",
      description =
          "Serve the HTTP API and its live dashboard on 127.0.0.1 for this run (embedded or"
              + " --nodes), and print its login link on standard error. A cluster of 'cluster up'"
              + " serves its own: 'clusterpool cluster dashboard'.")
  boolean dashboard;

  @Option(
      names = "--dashboard-port",
      paramLabel = "PORT",
      description = "With --dashboard: the port (default: a free one).")
  Integer dashboardPort;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  private ApiClient endpoint;

  private CompletableFuture<PoolSession> starting;

  /**
   * {@code --connect} takes a URL only when one follows it, so that {@code map square --connect
   * 1..10} and {@code --connect} last both mean "the cluster of the state file".
   */
  static final class ConnectPreprocessor implements IParameterPreprocessor {
    @Override
    public boolean preprocess(
        Stack<String> args, CommandSpec commandSpec, ArgSpec argSpec, Map<String, Object> info) {
      boolean attached = !" ".equals(info.get("separator")); // --connect=URL
      if (!attached && (args.isEmpty() || !Endpoint.looksLikeUrl(args.peek()))) args.push("");
      return false;
    }
  }

  /**
   * Whether the work goes to a running cluster ({@code --connect}); refuses what does not go with
   * it.
   */
  boolean remote() {
    if (dashboardPort != null && !dashboard)
      throw new UsageError("--dashboard-port goes with --dashboard");
    if (dashboardPort != null && (dashboardPort < 0 || dashboardPort > 65535)) {
      throw new UsageError(
          "--dashboard-port must be from 0 (a free one) to 65535, got " + dashboardPort);
    }
    if (connect != null && dashboard) {
      throw new UsageError(
          "--dashboard serves this run's own pool (embedded or --nodes); the cluster you --connect"
              + " to serves its own dashboard: 'clusterpool cluster dashboard' prints its link");
    }
    if (connect == null) {
      if (tokenFile != null)
        throw new UsageError(
            "--token-file goes with --connect: the token is for a running cluster's HTTP API");
      return false;
    }
    if (nodes != null) {
      throw new UsageError(
          "--connect and --nodes do not go together: --connect submits to a running cluster,"
              + " --nodes starts one for this command");
    }
    if (workers != null) {
      throw new UsageError(
          "--workers does not go with --connect: the running cluster's nodes have their workers"
              + " (add nodes with 'clusterpool cluster add N')");
    }
    return true;
  }

  /**
   * The HTTP API to submit to, with its token: the URL given, or the cluster of the state file
   * ({@link Endpoint}).
   */
  ApiClient endpoint() {
    if (endpoint == null) endpoint = Endpoint.resolve(connect, tokenFile, caFile);
    return endpoint;
  }

  /**
   * The tasks this command reads its inputs with: those of {@code --tasks} (else the config's);
   * with {@code --connect} to the cluster of the state file and no {@code --tasks}, those that
   * cluster was started with. Loaded once, before anything starts: tasks that cannot be loaded are
   * a usage error.
   */
  TaskCatalog catalog() {
    if (connect != null && connect.isEmpty() && tasks.paths.isEmpty()) {
      Optional<ClusterState> state = StateFile.read();
      if (state.isPresent() && !state.get().tasks().isEmpty()) {
        List<Path> started = state.get().tasks().stream().map(Path::of).toList();
        return TaskOptions.load(TaskPaths.fromConfig(Main.config()).withPaths(started));
      }
    }
    return tasks.catalog();
  }

  /**
   * Starts the pool in the background, so that it comes up while the command reads its inputs: on a
   * short command the start-up is most of the wait. The tasks are loaded first, here: a problem
   * with them stops the command before anything starts.
   */
  void startEarly() {
    if (starting == null) {
      int count = workers();
      int nodeCount = nodes();
      tasks.catalog();
      List<Path> paths = tasks.given();
      TaskExitGuard.install();
      starting =
          CompletableFuture.supplyAsync(
              () ->
                  PoolSession.open(
                      count, nodeCount, paths, "worker-" + ProcessHandle.current().pid()));
    }
  }

  /**
   * Reads the command's inputs while the pool starts ({@link #startEarly}): inputs that are refused
   * stop that start before their error goes on, so a usage error never leaves a pool behind.
   */
  <T> T readWhileStarting(Supplier<T> read) {
    startEarly();
    try {
      return read.get();
    } catch (RuntimeException | Error e) { // an Error too: a task's validate may throw one
      abandon();
      throw e;
    }
  }

  /** The pool, started now or earlier; closing the session stops it (and any JVMs it started). */
  PoolSession open() {
    startEarly();
    PoolSession session;
    try {
      session = starting.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    if (dashboard) {
      try {
        session.alsoClose(
            DashboardServer.serve(session.pool(), dashboardPort(), command.commandLine().getErr()));
      } catch (RuntimeException e) {
        session.close();
        throw e;
      }
    }
    return session;
  }

  /**
   * {@code --dashboard}: a dashboard for each pool this command runs (a demo may run several), else
   * none.
   */
  PoolDashboard dashboards() {
    if (!dashboard) return PoolDashboard.NONE;
    return pool ->
        DashboardServer.serve(pool, dashboardPort(), command.commandLine().getErr())::close;
  }

  private int dashboardPort() {
    return dashboardPort == null ? 0 : dashboardPort;
  }

  /** The command failed before it used the pool: stop it. */
  void abandon() {
    if (starting != null) starting.thenAccept(PoolSession::close);
  }

  /** The worker count asked for, or 0 for the default. */
  int workers() {
    if (workers != null && (workers < 1 || workers > WorkerSettings.MAX_PER_NODE)) {
      throw new UsageError(WorkerSettings.outOfRange("--workers", workers));
    }
    return workers == null ? 0 : workers;
  }

  /** The worker JVMs asked for, or 0 for the embedded default. */
  int nodes() {
    if (nodes != null && (nodes < 1 || nodes > 64))
      throw new UsageError("--nodes must be between 1 and 64, got " + nodes);
    return nodes == null ? 0 : nodes;
  }
}
