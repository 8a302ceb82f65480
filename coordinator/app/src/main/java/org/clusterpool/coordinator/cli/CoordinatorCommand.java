package org.clusterpool.coordinator.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.clusterpool.coordinator.cli.cluster.SupervisedCluster;
import org.clusterpool.coordinator.connect.ApiToken;
import org.clusterpool.coordinator.connect.ClusterState;
import org.clusterpool.coordinator.connect.CommandFailure;
import org.clusterpool.coordinator.http.AccessSettings;
import org.clusterpool.coordinator.http.ApiAccess;
import org.clusterpool.coordinator.http.ApiTransport;
import org.clusterpool.coordinator.http.HttpApi;
import org.clusterpool.coordinator.http.HttpSettings;
import org.clusterpool.coordinator.http.HttpsSettings;
import org.clusterpool.coordinator.members.CoordinatorNode;
import org.clusterpool.node.NodeMain;
import org.clusterpool.node.NodeOptions;
import org.clusterpool.node.launcher.OwnedCluster;
import org.clusterpool.node.launcher.Ports;
import org.clusterpool.node.launcher.SupervisionSettings;
import org.clusterpool.node.member.JoinFailure;
import org.clusterpool.node.tls.CertificateFiles;
import org.clusterpool.node.tls.ClusterCredentials;
import org.clusterpool.node.tls.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clusterpool coordinator}: a member of role coordinator in the foreground. It runs the
 * coordinator (a Cluster Singleton: the oldest coordinator-role member runs it, another takes over
 * when it goes) and the HTTP API, which reaches the coordinator wherever it runs. Without seeds it
 * founds a cluster; workers give its address as their seed. SIGTERM or Ctrl-C leaves the cluster;
 * the JVM exits when its member is removed.
 *
 * <p>Internal options, hidden from the help: {@code cluster up} starts its coordinator JVM with
 * {@code --supervise-nodes N --workers K --heap SIZE --logs DIR --state FILE [--no-restart]}, and
 * this JVM then starts and supervises the N worker JVMs ({@link SupervisedCluster}): the JVM that
 * owns the processes sees them end.
 */
@Command(
    name = "coordinator",
    description = {
      "Run a coordinator-role member in the foreground: the coordinator (a Cluster Singleton) and"
          + " the HTTP API.",
      "Without --seed it founds a cluster: start workers with 'clusterpool node --seed ADDRESS'."
    })
final class CoordinatorCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin MemberOptions member = new MemberOptions();

  @Mixin TaskOptions tasks = new TaskOptions();

  @Option(
      names = "--http-port",
      paramLabel = "PORT",
      description =
          "The HTTP API's port (default: clusterpool.http.port, 8080); 0 takes any free one.")
  Integer httpPort;

  @Option(
      names = "--http-interface",
      paramLabel = "ADDRESS",
      description = "Where the HTTP API listens (default: clusterpool.http.interface, 127.0.0.1).")
  String httpInterface;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "The file that holds the HTTP API's token, readable by you only (default:"
              + " clusterpool.http.token or CLUSTERPOOL_TOKEN, else one made once and kept in"
              + " ~/.clusterpool/http-token).")
  String tokenFile;

  @Option(
      names = "--no-token",
      description =
          "Ask no token on the HTTP API (clusterpool.http.require-token = off): on loopback"
              + " only; refused on another interface unless --insecure-no-token.")
  boolean noToken;

  @Option(
      names = "--insecure-no-token",
      description =
          "Ask no token on the HTTP API, on whatever interface it listens: anyone who"
              + " reaches the port can run work. Warned about at every start.")
  boolean insecureNoToken;

  @Option(
      names = "--http-tls-dir",
      paramLabel = "DIR",
      description =
          "Serve the HTTP API over HTTPS with the key and certificate of DIR: tls.key and tls.crt"
              + " in PEM ('clusterpool certificates DIR' makes them; default:"
              + " clusterpool.http.tls-dir). Without it the API speaks plain HTTP, on loopback"
              + " only.")
  String httpTlsDir;

  @Option(
      names = "--insecure-plain-http",
      description =
          "Speak plain HTTP on an interface beyond loopback, for an API behind a proxy that"
              + " ends TLS: the token crosses the network in clear text up to it. Warned about"
              + " at every start.")
  boolean insecurePlainHttp;

  @Option(
      names = "--supervise-nodes",
      paramLabel = "N",
      hidden = true,
      description = "cluster up: start and supervise N worker JVMs.")
  int superviseNodes;

  @Option(
      names = "--workers",
      paramLabel = "K",
      hidden = true,
      description = "cluster up: worker actors per supervised node.")
  int nodeWorkers;

  @Option(
      names = "--heap",
      paramLabel = "SIZE",
      hidden = true,
      description = "cluster up: the heap of each supervised worker JVM.")
  String nodeHeap = "256m";

  @Option(
      names = "--logs",
      paramLabel = "DIR",
      hidden = true,
      description = "cluster up: where the worker JVMs log.")
  Path nodeLogs;

  @Option(
      names = "--state",
      paramLabel = "FILE",
      hidden = true,
      description = "cluster up: the state file this JVM keeps up to date.")
  Path stateFile;

  @Option(
      names = "--no-restart",
      hidden = true,
      description = "cluster up: a worker JVM that ends is not replaced.")
  boolean noRestart;

  @Override
  public Integer call() {
    Config config = member.config();
    int port = member.port(config.getInt("pekko.remote.artery.canonical.port"));
    HttpSettings http = HttpSettings.fromConfig(config);
    http =
        http.withAddress(
            httpInterface != null ? httpInterface : http.iface(),
            httpPort != null ? httpPort : http.port());
    if (http.port() < 0 || http.port() > 65535)
      throw new UsageError("--http-port must be from 0 to 65535, got " + http.port());
    if (http.port() > 0 && http.iface().startsWith("127.") && !Ports.isFree(http.port())) {
      throw new UsageError(
          "port "
              + http.port()
              + " is taken on this machine: choose another with --http-port, or 0 for any free"
              + " one");
    }
    if (superviseNodes < 0 || superviseNodes > 64)
      throw new UsageError("--supervise-nodes takes 0 to 64, got " + superviseNodes);
    if (superviseNodes > 0 && (nodeWorkers < 1 || nodeLogs == null || stateFile == null)) {
      throw new UsageError(
          "--supervise-nodes goes with --workers K, --logs DIR and --state FILE (cluster up gives"
              + " them)");
    }
    tasks.catalog(
        config); // before anything starts: tasks that cannot be loaded are one line and exit code 2
    ApiAccess access = access(http);
    ApiTransport transport = transport(http);
    NodeOptions given =
        new NodeOptions(
            member.config,
            NodeOptions.COORDINATOR,
            member.hostname,
            port,
            member.seeds(),
            0,
            member.parentPid,
            tasks.given());
    // the coordinator of cluster up makes its cluster's CA (below); a standby started by hand joins
    // a running one
    NodeOptions options =
        superviseNodes > 0
            ? member.withTransport(given)
            : member.withTransportOfCluster(given, config, "standby");
    ClusterCredentials credentials = superviseNodes > 0 ? credentials(options) : null;
    if (credentials != null)
      options = options.withTransport(credentials.issue(ClusterState.COORDINATOR));
    SupervisedCluster workers =
        superviseNodes > 0 ? startWorkers(port, http.port(), config, access, credentials) : null;
    CoordinatorNode node;
    try {
      node =
          CoordinatorNode.start(
              options, workers != null ? OwnedCluster.coordinator() : ConfigFactory.empty());
    } catch (RuntimeException e) {
      if (workers != null) workers.close();
      if (credentials != null) credentials.close();
      String why = "cannot start the coordinator's member: " + e.getMessage();
      // its settings (no certificate, one its CA did not sign) are a usage error, as README says
      throw e instanceof IllegalArgumentException ? new UsageError(why) : new CommandFailure(why);
    }
    if (credentials != null)
      node.system().getWhenTerminated().thenRun(credentials::close); // its worker JVMs are stopped
    if (workers != null) workers.attach(node); // from now on, the member's shutdown stops them
    HttpApi api;
    try {
      api = HttpApi.start(node.system(), node.coordinator(), http, access, transport);
    } catch (IllegalStateException e) {
      node.close();
      throw new CommandFailure(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "clusterpool coordinator "
            + node.address()
            + " (pid "
            + ProcessHandle.current().pid()
            + "), HTTP API on "
            + api.url()
            + ", "
            + TaskOptions.describe(tasks.catalog(config))
            + (superviseNodes > 0
                ? ", supervising "
                    + superviseNodes
                    + " worker JVMs"
                    + (noRestart ? " (no restarts)" : "")
                : ""));
    out.println(
        access.open()
            ? "WARNING: the HTTP API asks for no token ("
                + access.source()
                + "): whoever reaches it can run work"
            : "the HTTP API asks for a token, from "
                + access.source()
                + ": curl "
                + curlTrust(http)
                + "-H \"Authorization: Bearer $TOKEN\" "
                + api.url()
                + "/cluster");
    out.println(
        transport.insecure(http.iface())
            ? "WARNING: the HTTP API speaks plain HTTP beyond loopback (--insecure-plain-http):"
                + " its token crosses the network in clear text up to the proxy that ends TLS"
            : "the HTTP API speaks " + transport.description());
    out.println(
        member.seeds.isEmpty()
            ? "it founded a cluster: start workers with 'clusterpool node --seed "
                + node.address()
                + "'; Ctrl-C leaves"
            : "joining " + String.join(", ", member.seeds) + "; Ctrl-C leaves");
    out.flush();
    NodeMain.exitWithNode(node.system());
    node.system().getWhenTerminated().toCompletableFuture().join();
    return JoinFailure.exitStatus(node.system());
  }

  /**
   * The token the API will ask for: a refusal (a file open to others, no token beyond loopback) is
   * one line, exit 2.
   */
  private ApiAccess access(HttpSettings http) {
    AccessSettings settings = http.access();
    if (tokenFile != null && noToken)
      throw new UsageError("--token-file and --no-token do not go together: choose one");
    if (tokenFile != null) settings = settings.withTokenFile(tokenFile);
    if (noToken) settings = settings.withoutToken();
    if (insecureNoToken) settings = settings.withInsecureNoToken();
    try {
      ApiAccess access = ApiAccess.resolve(settings, http.iface());
      // cluster up gave this JVM its cluster's token, which the state file keeps
      return stateFile != null && !access.open() && tokenFile == null
          ? access.withHint("the cluster's token: 'clusterpool cluster token' prints it")
          : access;
    } catch (IllegalArgumentException e) {
      throw new UsageError(e.getMessage());
    }
  }

  /**
   * HTTPS with the files of {@code --http-tls-dir}, or plain HTTP on loopback: anything else is one
   * line, exit 2, before the member starts.
   */
  private ApiTransport transport(HttpSettings http) {
    // cluster up's API is on loopback, and its state file tells clients http://
    HttpsSettings settings = stateFile != null ? HttpsSettings.NONE : http.https();
    if (httpTlsDir != null) settings = settings.withDir(httpTlsDir);
    if (insecurePlainHttp) settings = settings.withInsecurePlainHttp();
    try {
      return ApiTransport.resolve(settings, http.iface());
    } catch (IllegalArgumentException e) {
      throw new UsageError(e.getMessage());
    }
  }

  /** {@code --cacert DIR/ca.crt }, when the API's certificate directory holds its CA's. */
  private String curlTrust(HttpSettings http) {
    String dir = httpTlsDir != null ? httpTlsDir : http.https().dir();
    if (dir.isBlank()) return "";
    Path ca = Path.of(dir).resolve(CertificateFiles.CA_CERTIFICATE);
    return java.nio.file.Files.isRegularFile(ca) ? "--cacert " + ca + " " : "";
  }

  /**
   * The CA of the cluster that this JVM supervises, in {@code tls-PID/} beside the state file (mode
   * 0700, keys 0600), made anew at each {@code cluster up} and deleted when this JVM ends; none for
   * plain TCP.
   */
  private ClusterCredentials credentials(NodeOptions options) {
    Config config = options.config();
    try {
      SupervisedCluster.removeStaleCas(stateFile);
      // its key kept beside it: 'clusterpool node --seed' of the same user joins this cluster with
      // a certificate of it
      return ClusterCredentials.makeKept(
          Transport.fromConfig(config),
          SupervisedCluster.caDirectory(stateFile, ProcessHandle.current().pid()),
          config);
    } catch (RuntimeException e) {
      throw new CommandFailure("cannot make the cluster's certificates: " + e.getMessage());
    }
  }

  /**
   * The worker JVMs start before this member, so that their start-up overlaps with its own; they
   * join once it is up. The state file they are written to keeps the cluster's token.
   */
  private SupervisedCluster startWorkers(
      int port, int apiPort, Config config, ApiAccess access, ClusterCredentials credentials) {
    if (port == 0 || apiPort == 0) {
      throw new UsageError(
          "--supervise-nodes needs a --port and an --http-port given, not 0 (cluster up gives"
              + " them)");
    }
    try {
      return SupervisedCluster.start(
          port,
          apiPort,
          new SupervisedCluster.Options(
              superviseNodes,
              nodeWorkers,
              nodeHeap,
              nodeLogs,
              stateFile,
              !noRestart,
              tasks.resolved(config),
              access.token().map(ApiToken::value).orElse(""),
              credentials),
          SupervisionSettings.fromConfig(config));
    } catch (RuntimeException e) {
      throw new CommandFailure("cannot start the worker JVMs: " + e.getMessage());
    }
  }
}
