package org.clusterpool.coordinator.members;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.node.NodeOptions;
import org.clusterpool.node.catalog.TaskPaths;
import org.clusterpool.node.config.LayeredConfig;
import org.clusterpool.node.launcher.JvmProcess;
import org.clusterpool.node.launcher.JvmSpec;
import org.clusterpool.node.launcher.NodeExit;
import org.clusterpool.node.launcher.NodeSupervisor;
import org.clusterpool.node.launcher.OwnedCluster;
import org.clusterpool.node.launcher.Ports;
import org.clusterpool.node.launcher.SupervisedNode;
import org.clusterpool.node.launcher.SupervisionSettings;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.tls.ClusterCa;
import org.clusterpool.node.tls.ClusterCredentials;
import org.clusterpool.node.tls.MemberTransport;
import org.clusterpool.node.tls.Transport;
import org.clusterpool.node.worker.WorkerSettings;

/**
 * A cluster on this machine for the life of one program: this JVM is the coordinator, and N worker
 * JVMs started from the same class path join it over loopback. {@code --nodes N} runs a job on one;
 * the multi-JVM tests use it too. Closing it stops every JVM it started, whatever happened before.
 *
 * <p>The worker JVMs are supervised ({@link NodeSupervisor}), as {@code Pool} replaces a worker
 * process that exited: one that ends (killed, or a task ended it) has its member downed at once, so
 * its chunks run again without waiting for the failure detector, and a new JVM takes its place
 * after a backoff. A task that ends its JVM costs a JVM, not the job's capacity. They also watch
 * this JVM, and leave when it ends, however it ends.
 *
 * <p>Its members speak mutual TLS (unless told {@link Transport#TCP}): a throw-away {@link
 * ClusterCa}, made at start in a private temporary directory and deleted at close, gives each
 * member a certificate of its own, a new one at each restart; a JVM without one can neither join
 * nor send a message. {@link #transportFor} gives one to a member that someone else starts into
 * this cluster.
 *
 * <p>The coordinator takes the lowest port and the workers the ports above it: when a crash splits
 * the cluster into two equal halves, the Split Brain Resolver's keep-majority keeps the half with
 * the lowest address, which is then always the coordinator's.
 */
public final class LocalCluster implements AutoCloseable {
  public static final Duration FORM_TIMEOUT = Duration.ofSeconds(90);
  private static final int FIRST_PORT = 26000;

  /** The coordinator's first port is drawn in {@code FIRST_PORT .. FIRST_PORT + PORT_SPREAD}. */
  private static final int PORT_SPREAD = 1600;

  private static final Duration STOP_GRACE = Duration.ofSeconds(15);

  /**
   * How long this member's actor system may go on terminating, once its last shutdown phase has
   * begun, before the worker JVMs are stopped all the same: Pekko 1.2.1's Artery waits without a
   * deadline for its streams to complete (apache/pekko#3247), and a mutual-TLS stream to a worker
   * JVM can stall there until that JVM closes its end. A termination that does not stall ends
   * within a tenth of this.
   */
  private static final Duration REMOTING_STALL = Duration.ofSeconds(2);

  /** The most this member's termination is waited for, in all. */
  private static final Duration TERMINATE_WAIT = Duration.ofSeconds(30);

  /** A worker JVM that ends this many times while the cluster forms fails the start. */
  private static final int FORM_EXITS = 3;

  private final CoordinatorNode coordinator;
  private final ClusterPool pool;
  private final NodeSupervisor supervisor;
  private final Path logDir;
  private final ClusterCredentials credentials;

  /** Completed when this member's coordinated shutdown reaches its last phase. */
  private final CompletableFuture<Void> lastPhase = new CompletableFuture<>();

  private LocalCluster(
      CoordinatorNode coordinator,
      NodeSupervisor supervisor,
      int workerSlots,
      Path logDir,
      ClusterCredentials credentials) {
    this.coordinator = coordinator;
    this.supervisor = supervisor;
    this.logDir = logDir;
    this.credentials = credentials;
    this.pool = ClusterPool.connect(coordinator.system(), coordinator.coordinator(), workerSlots);
    CoordinatedShutdown.get(Adapter.toClassic(coordinator.system()))
        .addTask(
            CoordinatedShutdown.PhaseActorSystemTerminate(),
            "clusterpool-local-cluster-last-phase",
            () -> {
              lastPhase.complete(null);
              return CompletableFuture.completedFuture(Done.getInstance());
            });
  }

  /**
   * Starts the coordinator here and {@code nodes} worker JVMs of {@code workersPerNode} workers
   * each, and returns once every worker has asked the coordinator for work. Worker logs go to
   * {@code logDir}.
   */
  public static LocalCluster start(int nodes, int workersPerNode, Path logDir) {
    return start(nodes, workersPerNode, logDir, List.of());
  }

  /**
   * As {@link #start(int, int, Path)}, every JVM with the tasks of {@code tasks} besides those of
   * the class path (none: those of the config, {@code clusterpool.tasks}). Tasks that cannot be
   * loaded are refused before any JVM starts.
   */
  public static LocalCluster start(int nodes, int workersPerNode, Path logDir, List<Path> tasks) {
    return start(
        nodes,
        workersPerNode,
        logDir,
        tasks,
        ConfigFactory.empty(),
        JvmSpec.DEFAULT_HEAP,
        FORM_TIMEOUT);
  }

  /**
   * As {@link #start(int, int, Path, List)}, its members speaking {@code transport}: mutual TLS, or
   * plain TCP (an explicit choice, which each member warns about in its log).
   */
  public static LocalCluster start(
      int nodes, int workersPerNode, Path logDir, List<Path> tasks, Transport transport) {
    return start(
        nodes,
        workersPerNode,
        logDir,
        tasks,
        ConfigFactory.empty(),
        JvmSpec.DEFAULT_HEAP,
        FORM_TIMEOUT,
        transport);
  }

  /**
   * As {@link #start(int, int, Path, List)}, with {@code overrides} over this member's config (its
   * scalar settings are given to the worker JVMs too, as system properties), each worker JVM's
   * maximum heap ({@code 512m}), and how long the workers have to join; the transport is the
   * config's ({@code pekko.remote.artery.transport}).
   */
  public static LocalCluster start(
      int nodes,
      int workersPerNode,
      Path logDir,
      List<Path> tasks,
      Config overrides,
      String heap,
      Duration formTimeout) {
    Transport transport =
        Transport.fromConfig(overrides.withFallback(LayeredConfig.load("local-cluster")));
    return start(nodes, workersPerNode, logDir, tasks, overrides, heap, formTimeout, transport);
  }

  /** As {@link #start(int, int, Path, List, Config, String, Duration)}, over {@code transport}. */
  public static LocalCluster start(
      int nodes,
      int workersPerNode,
      Path logDir,
      List<Path> tasks,
      Config overrides,
      String heap,
      Duration formTimeout,
      Transport transport) {
    if (nodes < 1) throw new IllegalArgumentException("nodes must be at least 1, got " + nodes);
    int perNode =
        workersPerNode > 0
            ? workersPerNode
            : Math.min(WorkerSettings.MAX_PER_NODE, Runtime.getRuntime().availableProcessors());
    ClusterCredentials credentials =
        ClusterCredentials.make(transport, Optional.empty(), LayeredConfig.load("local-cluster"));
    CoordinatorNode coordinator;
    try {
      coordinator = startCoordinator(perNode, tasks, overrides, credentials.issue("coordinator"));
    } catch (RuntimeException e) {
      credentials.close();
      throw e;
    }
    credentials.usedUntil(coordinator.system().getWhenTerminated());
    int port = coordinator.system().address().getPort().get();
    String seed = coordinator.address();
    long self = ProcessHandle.current().pid();
    TaskPaths paths =
        TaskPaths.fromConfig(
            coordinator.system().settings().config()); // the member's own, resolved
    NodeSupervisor supervisor =
        new NodeSupervisor(
            // a new certificate at each start: the JVM it replaces is gone
            (name, nodePort) ->
                JvmSpec.workerNode(
                        name,
                        nodePort,
                        List.of(seed),
                        perNode,
                        self,
                        logDir.resolve(name + ".log"),
                        paths)
                    .withHeap(heap)
                    .withProperties(scalarSettings(overrides))
                    .withProperties(credentials.issue(name).settings()),
            port + 1,
            Set.of(port),
            SupervisionSettings.fromConfig(coordinator.system().settings().config()),
            true,
            new ClusterDowning(coordinator.system()),
            new NodeSupervisor.Listener() {});
    NodeSupervision.get(coordinator.system()).register(supervisor);
    // nodes started now would join no cluster: whoever runs after this member supervises them, if
    // anyone
    coordinator.system().getWhenTerminated().thenRun(supervisor::stopRestarting);
    // and none is started once this member begins to stop (Ctrl-C while the cluster forms: a
    // replacement started then would outlive the command until it saw this JVM gone)
    CoordinatedShutdown.get(Adapter.toClassic(coordinator.system()))
        .addTask(
            CoordinatedShutdown.PhaseBeforeServiceUnbind(),
            "clusterpool-local-cluster-no-restarts",
            () ->
                CompletableFuture.runAsync(supervisor::stopRestarting)
                    .thenApply(stopped -> Done.getInstance()));
    LocalCluster cluster =
        new LocalCluster(coordinator, supervisor, nodes * perNode, logDir, credentials);
    try {
      cluster.addNodes(nodes);
      cluster.awaitWorkers(nodes * perNode, formTimeout);
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * This member, on the first free port from {@link #FIRST_PORT}. Another program may take that
   * port between the look and the bind (other local clusters start beside this one on a busy
   * machine): then the next free one is tried.
   */
  /**
   * The coordinator runs in the caller's JVM, which is the application's: a fatal error there stops
   * the pool's actor system (its calls fail saying so), never the JVM, as in an embedded pool
   * ({@code config/embedded.conf}). The worker JVMs are the pool's own and still exit on one, to be
   * started again clean.
   */
  private static final Config HOST_JVM =
      ConfigFactory.parseString("pekko.jvm-exit-on-fatal-error = off");

  private static CoordinatorNode startCoordinator(
      int perNode, List<Path> tasks, Config overrides, MemberTransport transport) {
    Set<Integer> taken = new HashSet<>();
    // from a point drawn in a spread of ports: local clusters that start at once on one machine
    // (several programs,
    // the tests of several checkouts) rarely reach for the same port between the look and the bind
    int first =
        FIRST_PORT
            + 16 * java.util.concurrent.ThreadLocalRandom.current().nextInt(PORT_SPREAD / 16);
    for (int attempt = 1; ; attempt++) {
      int port = Ports.freeFrom(first, taken);
      try {
        return CoordinatorNode.start(
            new NodeOptions(
                    "local-cluster",
                    NodeOptions.COORDINATOR,
                    "127.0.0.1",
                    port,
                    List.of(),
                    perNode,
                    0,
                    tasks)
                .withTransport(transport),
            overrides.withFallback(HOST_JVM).withFallback(OwnedCluster.coordinator()));
      } catch (RuntimeException e) {
        if (attempt >= 3 || !portTaken(e)) throw e;
        taken.add(port);
      }
    }
  }

  /**
   * The settings of {@code overrides} that a system property can carry: strings, numbers, booleans,
   * durations.
   */
  private static Map<String, String> scalarSettings(Config overrides) {
    Map<String, String> properties = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> entry : overrides.entrySet()) {
      ConfigValueType type = entry.getValue().valueType();
      if (type != ConfigValueType.LIST
          && type != ConfigValueType.OBJECT
          && type != ConfigValueType.NULL) {
        properties.put(entry.getKey(), String.valueOf(entry.getValue().unwrapped()));
      }
    }
    return properties;
  }

  private static boolean portTaken(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause())
      if (t instanceof java.net.BindException) return true;
    return false;
  }

  /**
   * Starts more worker JVMs, supervised like the first ones; they join and start pulling work (from
   * running jobs too).
   */
  public List<JvmProcess> addNodes(int count) {
    List<String> added = supervisor.addAndWait(count).stream().map(SupervisedNode::name).toList();
    return supervisor.processes().stream().filter(p -> added.contains(p.name())).toList();
  }

  /**
   * Waits until the coordinator knows {@code workers} workers; a clear error names the logs if they
   * do not come, or as soon as a worker JVM has ended {@link #FORM_EXITS} times (a port taken
   * meanwhile by another program is worth a new try on another port; a node that cannot start is a
   * problem to report, not to retry here).
   */
  private void awaitWorkers(int workers, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    while (System.nanoTime() < deadline) {
      for (SupervisedNode node : supervisor.nodes()) {
        if (node.lastExit().isPresent()
            && (node.exits() >= FORM_EXITS || node.state() == SupervisedNode.State.DEAD)) {
          NodeExit exit = node.lastExit().get();
          throw new IllegalStateException(
              node.name()
                  + " exited "
                  + (node.exits() == 1 ? "" : node.exits() + " times ")
                  + "while the cluster formed ("
                  + exit.cause()
                  + "); see "
                  + logDir.resolve(node.name() + ".log")
                  + (exit.logTail().isEmpty()
                      ? ""
                      : ", which ends with: " + exit.logTail().get(exit.logTail().size() - 1)));
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
    throw new IllegalStateException(
        "only "
            + seen
            + " of "
            + workers
            + " workers joined within "
            + timeout.toSeconds()
            + " s; see the logs in "
            + logDir);
  }

  public ClusterPool pool() {
    return pool;
  }

  /** How its members speak to each other. */
  public Transport transport() {
    return credentials.transport();
  }

  /**
   * What a member that another program starts into this cluster needs: a certificate of its CA,
   * made now for {@code member} (letters, digits, {@code .}, {@code _}, {@code -}), or plain TCP.
   * Give its settings to the JVM ({@code JvmSpec.withProperties}) or to the member's config ({@code
   * NodeOptions.withTransport}).
   */
  public MemberTransport transportFor(String member) {
    return credentials.issue(member);
  }

  public CoordinatorNode coordinator() {
    return coordinator;
  }

  /**
   * Each worker node's current JVM, by node number: a replacement takes the place of the JVM it
   * replaces.
   */
  public List<JvmProcess> nodes() {
    return supervisor.processes();
  }

  /** The supervisor of the worker JVMs: their restarts and how each last ended. */
  public NodeSupervisor supervisor() {
    return supervisor;
  }

  public ClusterStatus status() {
    return pool.status(Duration.ofSeconds(10));
  }

  public Path logDir() {
    return logDir;
  }

  /**
   * Stops this member (its end also stops the supervisor's restarts), then the worker JVMs (a stuck
   * one is killed); then deletes the cluster's keys.
   */
  @Override
  public void close() {
    try {
      // this member first: stopped while its worker JVMs still run, it hears none of their
      // connections close (Pekko warns at each one, which a successful command printed at its end)
      pool.terminate();
      coordinator.system().terminate();
      // by its last phase it has left the cluster, and Artery tells the workers it ends at once;
      // a termination still going REMOTING_STALL later waits for a worker JVM to close its end
      CompletableFuture<?> terminated =
          coordinator.system().getWhenTerminated().toCompletableFuture();
      CompletableFuture.anyOf(
              terminated,
              lastPhase.thenCompose(
                  begun ->
                      CompletableFuture.runAsync(
                          () -> {},
                          CompletableFuture.delayedExecutor(
                              REMOTING_STALL.toMillis(), TimeUnit.MILLISECONDS))))
          .orTimeout(TERMINATE_WAIT.toSeconds(), TimeUnit.SECONDS)
          .exceptionally(e -> null)
          .join();
    } finally {
      try {
        supervisor.close(STOP_GRACE);
        // a stalled stream ends with its worker JVM: the member's termination ends now
        coordinator.close();
      } finally {
        credentials.close();
      }
    }
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
