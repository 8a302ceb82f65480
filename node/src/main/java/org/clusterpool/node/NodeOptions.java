package org.clusterpool.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clusterpool.node.catalog.TaskPaths;
import org.clusterpool.node.config.LayeredConfig;
import org.clusterpool.node.tls.MemberTransport;
import org.clusterpool.node.worker.WorkerSettings;

/**
 * Where a cluster member runs: its host name and port, the seed nodes it joins, its role, how many
 * workers it starts, the config file it layers on. Turned into Pekko settings by {@link #config()}.
 *
 * @param configResource {@code local-cluster} or {@code kubernetes}: a file of {@code config/}
 * @param port 0 picks a free port
 * @param workers worker actors on this node; 0 takes {@code clusterpool.worker.per-node}
 * @param parentPid when positive, the node leaves once that process ends (a node started for one
 *     job)
 * @param tasks the paths of its own tasks ({@code --tasks}); none: those of the config ({@code
 *     clusterpool.tasks})
 * @param transport how it speaks to the other members (its certificate, or plain TCP), when whoever
 *     starts it gives it; empty: as its config says
 */
public record NodeOptions(
    String configResource,
    String role,
    String hostname,
    int port,
    List<String> seedNodes,
    int workers,
    long parentPid,
    List<Path> tasks,
    Optional<MemberTransport> transport) {

  public static final String WORKER = "worker";
  public static final String COORDINATOR = "coordinator";

  public NodeOptions(
      String configResource,
      String role,
      String hostname,
      int port,
      List<String> seedNodes,
      int workers,
      long parentPid) {
    this(configResource, role, hostname, port, seedNodes, workers, parentPid, List.of());
  }

  public NodeOptions(
      String configResource,
      String role,
      String hostname,
      int port,
      List<String> seedNodes,
      int workers,
      long parentPid,
      List<Path> tasks) {
    this(
        configResource,
        role,
        hostname,
        port,
        seedNodes,
        workers,
        parentPid,
        tasks,
        Optional.empty());
  }

  public NodeOptions {
    seedNodes = List.copyOf(seedNodes);
    tasks = List.copyOf(tasks);
    if (!role.equals(WORKER) && !role.equals(COORDINATOR)) {
      throw new IllegalArgumentException("role must be worker or coordinator, got " + role);
    }
    if (port < 0 || port > 65535)
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    if (workers < 0 || workers > WorkerSettings.MAX_PER_NODE)
      throw new IllegalArgumentException(
          WorkerSettings.outOfRange("workers", workers) + " (or 0: as the config says)");
  }

  /** The same member with these task paths. */
  public NodeOptions withTasks(List<Path> paths) {
    return new NodeOptions(
        configResource, role, hostname, port, seedNodes, workers, parentPid, paths, transport);
  }

  /** The same member with this transport: its own certificate, or plain TCP. */
  public NodeOptions withTransport(MemberTransport given) {
    return new NodeOptions(
        configResource,
        role,
        hostname,
        port,
        seedNodes,
        workers,
        parentPid,
        tasks,
        Optional.of(given));
  }

  /**
   * The layered config: these options over {@code config/<configResource>.conf} over the
   * application's config and the defaults ({@link org.clusterpool.node.config.LayeredConfig}). The
   * task paths given go into {@code clusterpool.tasks.path}: the member's config says which tasks
   * it runs; the transport given, into {@code pekko.remote.artery}.
   */
  public Config config() {
    Config base = LayeredConfig.load(configResource);
    if (!tasks.isEmpty()) base = TaskPaths.fromConfig(base).withPaths(tasks).into(base);
    if (transport.isPresent()) base = transport.get().applyTo(base);
    Config config =
        base.withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(List.of(role)))
            .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(port));
    if (hostname != null && !hostname.isBlank()) {
      config =
          config.withValue(
              "pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(hostname));
    }
    if (!seedNodes.isEmpty()) {
      config =
          config.withValue(
              "pekko.cluster.seed-nodes",
              ConfigValueFactory.fromIterable(new ArrayList<>(seedNodes)));
    }
    int perNode = workers > 0 ? workers : resolvedWorkers(base);
    return config
        .withValue("clusterpool.worker.per-node", ConfigValueFactory.fromAnyRef(perNode))
        .withValue(
            "clusterpool.cpu-dispatcher.thread-pool-executor.fixed-pool-size",
            ConfigValueFactory.fromAnyRef(perNode));
  }

  private static int resolvedWorkers(Config config) {
    int perNode = config.getInt("clusterpool.worker.per-node");
    return perNode > 0 ? perNode : Runtime.getRuntime().availableProcessors();
  }
}
