package org.clusterpool.coordinator.pool;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.clusterpool.coordinator.connect.ApiTrust;
import org.clusterpool.coordinator.connect.ClusterTokens;
import org.clusterpool.coordinator.connect.TokenFiles;
import org.clusterpool.coordinator.input.Echo;
import org.clusterpool.coordinator.members.LocalCluster;
import org.clusterpool.coordinator.members.PoolSession;
import org.clusterpool.node.catalog.TaskPaths;
import org.clusterpool.node.config.LayeredConfig;
import org.clusterpool.node.launcher.JvmSpec;
import org.clusterpool.node.worker.WorkerSettings;

/**
 * The options of a {@link ClusterPool}, then its kind: {@link #embedded(int)}, {@link #local(int)}
 * or {@link #connect()}. An option that does not concern the kind chosen is ignored (a connected
 * pool's workers have the heap their cluster gave them).
 *
 * <pre>{@code
 * try (ClusterPool pool = ClusterPool.builder().workersPerNode(2).heap("1g").tasks(Path.of("my-tasks.jar")).local(3)) {
 *   ...
 * }
 * }</pre>
 */
public final class PoolBuilder {
  /** Local pools started by this JVM: each logs into a folder of its own. */
  private static final java.util.concurrent.atomic.AtomicInteger LOCAL_POOLS =
      new java.util.concurrent.atomic.AtomicInteger();

  private int workersPerNode;
  private String heap = JvmSpec.DEFAULT_HEAP;
  private final List<Path> tasks = new ArrayList<>();
  private Config config = ConfigFactory.empty();
  private Duration startTimeout = Duration.ofSeconds(90);
  private Duration requestTimeout = Duration.ofSeconds(20);
  private String token;
  private ApiTrust trust;

  PoolBuilder() {}

  /**
   * Worker actors in each node ({@code local}): like {@code Pool(processes=k)} per JVM; 0, the
   * default: one per processor.
   */
  public PoolBuilder workersPerNode(int workers) {
    if (workers < 0 || workers > WorkerSettings.MAX_PER_NODE)
      throw new IllegalArgumentException(
          WorkerSettings.outOfRange("workersPerNode", workers) + " (or 0: one per processor)");
    this.workersPerNode = workers;
    return this;
  }

  /**
   * The maximum heap of each worker JVM ({@code local}), as {@code -Xmx} takes it: {@code 512m},
   * {@code 2g}.
   */
  public PoolBuilder heap(String heap) {
    Objects.requireNonNull(heap, "heap");
    if (!heap.matches("[1-9][0-9]*[kKmMgG]?")) {
      throw new IllegalArgumentException(
          "heap must be a size as -Xmx takes it (512m, 2g), got " + Echo.quote(heap));
    }
    this.heap = heap;
    return this;
  }

  /**
   * Jars of your own tasks, or directories of their classes or of jars ({@code --tasks}): every JVM
   * the pool starts loads them, and so does an embedded pool. A connected pool runs what its
   * cluster's nodes have.
   */
  public PoolBuilder tasks(Path... paths) {
    for (Path path : paths) tasks.add(Objects.requireNonNull(path, "path"));
    return this;
  }

  /**
   * Settings over clusterpool's defaults ({@code clusterpool.chunk.timeout = 5m}); a local pool's
   * worker JVMs get them too.
   */
  public PoolBuilder config(Config overrides) {
    this.config = Objects.requireNonNull(overrides, "overrides");
    return this;
  }

  /**
   * How long the workers have to start and reach the coordinator, or a cluster to answer at first
   * ({@code connect}).
   */
  public PoolBuilder startTimeout(Duration timeout) {
    this.startTimeout = positive(timeout, "startTimeout");
    return this;
  }

  /**
   * How long a connected cluster may stay silent during a job (its stream writes a line every few
   * seconds) before the job fails with a one-line error; also the bound of each of its other
   * requests (a submission's once its body went, a task check), and, up to 5 s, of a cancel.
   */
  public PoolBuilder requestTimeout(Duration timeout) {
    this.requestTimeout = positive(timeout, "requestTimeout");
    return this;
  }

  /**
   * The token of a connected cluster's HTTP API ({@code connect}). Without it: {@code
   * CLUSTERPOOL_TOKEN}, else the cluster's own from the state file of {@code cluster up} (when it
   * is that cluster), else the one a coordinator started by hand made in {@code
   * .clusterpool/http-token}, as the command line's {@code --connect} finds it.
   */
  public PoolBuilder token(String token) {
    Objects.requireNonNull(token, "token");
    if (token.isBlank()) throw new IllegalArgumentException("token must not be blank");
    this.token = token.strip();
    return this;
  }

  /**
   * As {@link #token(String)}, read from a file that only its owner may read ({@code
   * --token-file}).
   */
  public PoolBuilder tokenFile(Path file) {
    this.token = TokenFiles.read(Objects.requireNonNull(file, "file")).value();
    return this;
  }

  /**
   * Over HTTPS ({@code connect("https://...")}), trust the CA certificates of this PEM file (the
   * {@code ca.crt} of {@code clusterpool certificates} or of a Kubernetes Secret) instead of the
   * JDK's authorities. Without it: {@code CLUSTERPOOL_CA_FILE}, else the JDK's authorities.
   */
  public PoolBuilder caFile(Path file) {
    this.trust = ApiTrust.caFile(Objects.requireNonNull(file, "file"), "caFile");
    return this;
  }

  /** {@code workers} worker actors in this JVM (0: one per processor). */
  public ClusterPool embedded(int workers) {
    if (workers < 0 || workers > WorkerSettings.MAX_PER_NODE)
      throw new IllegalArgumentException(
          WorkerSettings.outOfRange("workers", workers) + " (or 0: one per processor)");
    Config overrides =
        tasks.isEmpty()
            ? config
            : TaskPaths.fromConfig(config.withFallback(LayeredConfig.load("embedded")))
                .withPaths(tasks)
                .into(config);
    return new ClusterPool(Embedded.pool(workers, overrides, startTimeout));
  }

  /**
   * {@code nodes} worker JVMs started for this pool on loopback, this JVM their coordinator: see
   * {@link ClusterPool#local(int)}.
   */
  public ClusterPool local(int nodes) {
    if (nodes < 1) throw new IllegalArgumentException("nodes must be at least 1, got " + nodes);
    Path logs =
        PoolSession.logDirectory()
            .resolve("pool-" + ProcessHandle.current().pid() + "-" + LOCAL_POOLS.incrementAndGet());
    LocalCluster cluster =
        LocalCluster.start(
            nodes, workersPerNode, logs, List.copyOf(tasks), config, heap, startTimeout);
    return new ClusterPool(new StartedCluster(cluster));
  }

  /**
   * The cluster {@code bin/clusterpool cluster up} started (its state file), else the one at {@code
   * CLUSTERPOOL_URL}: see {@link ClusterPool#connect()}.
   */
  public ClusterPool connect() {
    return connect(ClusterAddress.find(System::getenv));
  }

  /** The cluster whose HTTP API is at {@code url}: see {@link ClusterPool#connect(String)}. */
  public ClusterPool connect(String url) {
    Objects.requireNonNull(url, "url");
    return connect(ClusterAddress.parse(url.strip(), "the address given"));
  }

  private ClusterPool connect(java.net.URI url) {
    String sent = token != null ? token : ClusterTokens.forUrl(url).orElse(null);
    ApiTrust https = trust != null ? trust : ApiTrust.forUrl(url);
    return new ClusterPool(ConnectedPool.open(url, sent, https, startTimeout, requestTimeout));
  }

  private static Duration positive(Duration timeout, String name) {
    Objects.requireNonNull(timeout, name);
    if (timeout.isZero() || timeout.isNegative())
      throw new IllegalArgumentException(name + " must be positive, got " + timeout);
    return timeout;
  }
}
