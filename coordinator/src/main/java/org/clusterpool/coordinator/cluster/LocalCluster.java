package org.clusterpool.coordinator.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.node.NodeOptions;
import org.clusterpool.node.launcher.JvmLauncher;
import org.clusterpool.node.launcher.JvmProcess;
import org.clusterpool.node.launcher.JvmSpec;
import org.clusterpool.node.launcher.Ports;
import org.clusterpool.node.protocol.ClusterStatus;

/**
 * A cluster on this machine for the life of one program: this JVM is the coordinator, and N worker JVMs
 * started from the same class path join it over loopback. {@code --nodes N} runs a job on one; the
 * multi-JVM tests use it too. Closing it stops every JVM it started, whatever happened before.
 *
 * <p>The coordinator takes the lowest port and the workers the ports above it: when a crash splits the
 * cluster into two equal halves, the Split Brain Resolver's keep-majority keeps the half with the lowest
 * address, which is then always the coordinator's.
 */
public final class LocalCluster implements AutoCloseable {
  private static final Duration FORM_TIMEOUT = Duration.ofSeconds(90);
  private static final int FIRST_PORT = 26000;
  private static final Duration STOP_GRACE = Duration.ofSeconds(15);

  private final CoordinatorNode coordinator;
  private final ClusterPool pool;
  private final int workersPerNode;
  private final Path logDir;
  private final List<JvmProcess> nodes = new CopyOnWriteArrayList<>();
  private final Set<Integer> ports = new HashSet<>();
  private final int coordinatorPort;
  private int started;
  private volatile boolean closing;
  /** Nodes started in place of ones that died; bounded, so that a node that cannot start does not loop. */
  private int replaced;
  private final int maxReplacements;

  private LocalCluster(CoordinatorNode coordinator, int coordinatorPort, int nodes, int workersPerNode, Path logDir) {
    this.maxReplacements = 4 * nodes;
    this.coordinatorPort = coordinatorPort;
    this.ports.add(coordinatorPort);
    this.coordinator = coordinator;
    this.workersPerNode = workersPerNode;
    this.logDir = logDir;
    this.pool = ClusterPool.connect(coordinator.system(), coordinator.coordinator(), nodes * workersPerNode);
  }

  /**
   * Starts the coordinator here and {@code nodes} worker JVMs of {@code workersPerNode} workers each, and
   * returns once every worker has asked the coordinator for work. Worker logs go to {@code logDir}.
   */
  public static LocalCluster start(int nodes, int workersPerNode, Path logDir) {
    if (nodes < 1) throw new IllegalArgumentException("nodes must be at least 1, got " + nodes);
    int perNode = workersPerNode > 0 ? workersPerNode : Runtime.getRuntime().availableProcessors();
    int port = Ports.freeFrom(FIRST_PORT, Set.of());
    CoordinatorNode coordinator = CoordinatorNode.start(
        new NodeOptions("local-cluster", NodeOptions.COORDINATOR, "127.0.0.1", port, List.of(), perNode, 0));
    LocalCluster cluster = new LocalCluster(coordinator, port, nodes, perNode, logDir);
    try {
      cluster.addNodes(nodes);
      cluster.awaitWorkers(nodes * perNode);
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** Starts more worker JVMs; they join and start pulling work (from running jobs too). */
  public synchronized List<JvmProcess> addNodes(int count) {
    List<JvmProcess> added = new ArrayList<>();
    for (int i = 0; i < count; i++) added.add(startNode());
    return added;
  }

  /**
   * A node that dies while the cluster runs is replaced, as {@code Pool} replaces a worker process that
   * exited: a task that ends its JVM costs a JVM, not the job's capacity.
   */
  private JvmProcess startNode() {
    String name = "worker-node-" + (++started);
    int port = Ports.freeFrom(coordinatorPort + 1, ports);
    ports.add(port);
    JvmSpec spec = JvmSpec.workerNode(
        name, port, List.of(coordinator.address()), workersPerNode, ProcessHandle.current().pid(), logDir.resolve(name + ".log"));
    JvmProcess node = JvmLauncher.start(spec);
    nodes.add(node);
    node.handle().onExit().thenRun(() -> replace(node));
    return node;
  }

  private synchronized void replace(JvmProcess dead) {
    nodes.remove(dead);
    if (closing || replaced >= maxReplacements) return;
    replaced++;
    JvmProcess next = startNode();
    coordinator.system().log().warn("{} exited; {} starts in its place (see {})", dead, next.name(), dead.spec().logFile());
  }

  /** Waits until the coordinator knows {@code workers} workers; a clear error names the logs if they do not come. */
  public void awaitWorkers(int workers) {
    long deadline = System.nanoTime() + FORM_TIMEOUT.toNanos();
    int seen = 0;
    while (System.nanoTime() < deadline) {
      for (JvmProcess node : nodes) {
        if (!node.isAlive()) {
          throw new IllegalStateException(node + " exited while the cluster formed; see " + node.spec().logFile());
        }
      }
      try {
        seen = pool.status(Duration.ofSeconds(5)).workers().size();
      } catch (RuntimeException e) {
        seen = 0; // the singleton may not run yet
      }
      if (seen >= workers) return;
      sleep(50);
    }
    throw new IllegalStateException("only " + seen + " of " + workers + " workers joined within " + FORM_TIMEOUT.toSeconds()
        + " s; see the logs in " + logDir);
  }

  public ClusterPool pool() {
    return pool;
  }

  public CoordinatorNode coordinator() {
    return coordinator;
  }

  public List<JvmProcess> nodes() {
    return List.copyOf(nodes);
  }

  public ClusterStatus status() {
    return pool.status(Duration.ofSeconds(10));
  }

  public Path logDir() {
    return logDir;
  }

  /** Stops the worker JVMs (each leaves the cluster; a stuck one is killed), then this member. */
  @Override
  public void close() {
    closing = true;
    List<Thread> stopping = new ArrayList<>();
    for (JvmProcess node : nodes) {
      Thread t = new Thread(() -> node.stop(STOP_GRACE), "stop-" + node.name());
      t.start();
      stopping.add(t);
    }
    for (Thread t : stopping) {
      try {
        t.join(STOP_GRACE.toMillis() + 15_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (JvmProcess node : nodes) if (node.isAlive()) node.kill();
    pool.terminate();
    coordinator.close();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the cluster formed", e);
    }
  }
}
