package org.clusterpool.coordinator.cli.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.clusterpool.node.launcher.JvmLauncher;
import org.clusterpool.node.launcher.JvmProcess;
import org.clusterpool.node.launcher.JvmSpec;

/**
 * Starts the JVMs of a local cluster, detached from this command so that they outlive it: the coordinator
 * ({@code clusterpool coordinator}, with the HTTP API) and worker nodes ({@link JvmSpec#workerNode}), each with
 * a bounded heap and a log file in the cluster's log folder.
 */
final class Launch {
  private Launch() {}

  /** The coordinator holds the API's results (clusterpool.http.max-results): a larger heap than a worker's by default. */
  static final String COORDINATOR_HEAP = "512m";

  /**
   * Children log through the jar's config/logback.xml into their log file, even when the class path also holds
   * a logback-test.xml (a test's).
   */
  private static final Map<String, String> LOGGING = Map.of("logback.configurationFile", "logback.xml");

  static ClusterState.Member coordinator(int port, int httpPort, String heap, Path logs) {
    JvmSpec spec = new JvmSpec(
        ClusterState.COORDINATOR,
        "org.clusterpool.coordinator.cli.Main",
        List.of("coordinator", "--hostname", "127.0.0.1", "--port", Integer.toString(port), "--http-port", Integer.toString(httpPort)),
        heap,
        logs.resolve("coordinator.log"),
        LOGGING);
    return member(JvmLauncher.startDetached(spec), ClusterState.COORDINATOR, port);
  }

  static ClusterState.Member worker(int number, int port, String seed, int workersPerNode, String heap, Path logs) {
    String name = "worker-node-" + number;
    JvmSpec node = JvmSpec.workerNode(name, port, List.of(seed), workersPerNode, 0, logs.resolve(name + ".log"));
    JvmSpec spec = new JvmSpec(node.name(), node.mainClass(), node.args(), heap, node.logFile(), LOGGING);
    return member(JvmLauncher.startDetached(spec), ClusterState.WORKER, port);
  }

  private static ClusterState.Member member(JvmProcess process, String role, int port) {
    return new ClusterState.Member(process.name(), role, port, process.pid(), Processes.startMillis(process.handle()), false);
  }
}
