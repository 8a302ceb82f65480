package org.clusterpool.coordinator.cli.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clusterpool.coordinator.connect.ClusterState;
import org.clusterpool.coordinator.connect.ClusterTokens;
import org.clusterpool.node.launcher.JvmLauncher;
import org.clusterpool.node.launcher.JvmProcess;
import org.clusterpool.node.launcher.JvmSpec;
import org.clusterpool.node.tls.Transport;

/**
 * Starts the coordinator JVM of a local cluster, detached from this command so that it outlives it
 * ({@code clusterpool coordinator}, with the HTTP API), with a bounded heap and a log file in the
 * cluster's log folder. It starts and supervises the worker JVMs itself ({@link
 * SupervisedCluster}).
 */
final class Launch {
  private Launch() {}

  /**
   * The coordinator holds the API's results (clusterpool.http.max-results): a larger heap than a
   * worker's by default.
   */
  static final String COORDINATOR_HEAP = "512m";

  /**
   * Children log through the jar's config/logback.xml into their log file, even when the class path
   * also holds a logback-test.xml (a test's).
   */
  private static final Map<String, String> LOGGING =
      Map.of("logback.configurationFile", "logback.xml");

  /**
   * The worker JVMs the coordinator JVM starts and supervises, and the task paths it and they are
   * given.
   */
  record Workers(
      int nodes,
      int workersPerNode,
      String heap,
      boolean restart,
      Path stateFile,
      List<Path> tasks,
      Transport transport) {}

  /** The variable the coordinator JVM reads its HTTP API token from (clusterpool.http.token). */
  static final String TOKEN_VARIABLE = ClusterTokens.VARIABLE;

  /**
   * The coordinator JVM, whose HTTP API asks for {@code token}: given in its environment, which
   * only its user can read.
   */
  static ClusterState.Member coordinator(
      int port, int httpPort, String heap, Path logs, Workers workers, String token) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "coordinator",
                "--hostname",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--http-port",
                Integer.toString(httpPort),
                "--supervise-nodes",
                Integer.toString(workers.nodes()),
                "--workers",
                Integer.toString(workers.workersPerNode()),
                "--heap",
                workers.heap(),
                "--logs",
                logs.toString(),
                "--state",
                workers.stateFile().toString()));
    if (!workers.restart()) args.add("--no-restart");
    // the coordinator JVM makes the cluster's CA and gives each member its certificate; tcp is said
    // explicitly
    args.addAll(List.of("--transport", workers.transport() == Transport.TCP ? "tcp" : "tls"));
    for (Path path : workers.tasks()) {
      args.add("--tasks");
      args.add(path.toString());
    }
    JvmSpec spec =
        new JvmSpec(
                ClusterState.COORDINATOR,
                "org.clusterpool.coordinator.cli.Main",
                args,
                heap,
                logs.resolve("coordinator.log"),
                LOGGING)
            .withEnvironment(Map.of(TOKEN_VARIABLE, token));
    JvmProcess process = JvmLauncher.startDetached(spec);
    return new ClusterState.Member(
        process.name(),
        ClusterState.COORDINATOR,
        port,
        process.pid(),
        process.startMillis(),
        ClusterState.RUNNING,
        0,
        Optional.empty());
  }
}
