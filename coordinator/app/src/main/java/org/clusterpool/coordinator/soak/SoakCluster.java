package org.clusterpool.coordinator.soak;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.clusterpool.coordinator.members.ClientNode;
import org.clusterpool.coordinator.members.ClusterDowning;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.node.config.LayeredConfig;
import org.clusterpool.node.launcher.JvmLauncher;
import org.clusterpool.node.launcher.JvmProcess;
import org.clusterpool.node.launcher.JvmSpec;
import org.clusterpool.node.launcher.Ports;
import org.clusterpool.node.tls.ClusterCredentials;
import org.clusterpool.node.tls.Transport;

/**
 * The local cluster a soak breaks: coordinator JVMs (the singleton runs on the oldest) and worker
 * JVMs, all started here and watching this JVM, which joins as a client. It is also the operator:
 * it kills, freezes, stops and adds JVMs, and starts a new one where one went, as a supervisor
 * would.
 */
final class SoakCluster implements AutoCloseable {
  private static final int FIRST_PORT = 28000;
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final Path logs;
  private final int workersPerNode;
  private final long me = ProcessHandle.current().pid();
  private final Set<Integer> ports = new HashSet<>();

  /** Coordinator JVMs, oldest first: the first one runs the singleton. */
  private final List<Member> coordinators = new CopyOnWriteArrayList<>();

  private final List<Member> workers = new CopyOnWriteArrayList<>();
  private ClientNode client;
  private int started;

  /**
   * The members speak mutual TLS, as by default: a CA of the soak's own gives each JVM its
   * certificate.
   */
  private final ClusterCredentials credentials;

  record Member(JvmProcess process, int port) {
    String address() {
      return "pekko://clusterpool@127.0.0.1:" + port;
    }
  }

  SoakCluster(Path logs, int workersPerNode) {
    this.logs = logs;
    this.workersPerNode = workersPerNode;
    Config config = LayeredConfig.load("local-cluster");
    this.credentials =
        ClusterCredentials.make(Transport.fromConfig(config), Optional.empty(), config);
  }

  /** Two coordinator JVMs, {@code nodes} worker JVMs and this JVM as a client member. */
  ClusterPool start(int nodes) {
    coordinators.add(startCoordinator(List.of()));
    coordinators.add(startCoordinator(seeds()));
    for (int i = 0; i < nodes; i++) addWorker();
    client = ClientNode.start("local-cluster", seeds(), 0, credentials.issue("soak-client"));
    return client.pool(nodes * workersPerNode);
  }

  /** Live members to join: any one of them lets a newcomer in. */
  private List<String> seeds() {
    List<String> seeds = new ArrayList<>();
    for (Member m : coordinators) if (m.process().isAlive()) seeds.add(m.address());
    for (Member m : workers) if (m.process().isAlive()) seeds.add(m.address());
    return seeds;
  }

  private int port() {
    int port = Ports.freeFrom(FIRST_PORT, ports);
    ports.add(port);
    return port;
  }

  private Member startCoordinator(List<String> seeds) {
    int port = port();
    List<String> args =
        new ArrayList<>(
            List.of(
                "coordinator",
                "--hostname",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--http-port",
                Integer.toString(port())));
    for (String seed : seeds) {
      args.add("--seed");
      args.add(seed);
    }
    String name = "coordinator-" + (++started);
    JvmSpec spec =
        new JvmSpec(
            name,
            "org.clusterpool.coordinator.cli.Main",
            args,
            "384m",
            logs.resolve(name + ".log"),
            Map.of("logback.configurationFile", "logback.xml"));
    return new Member(
        JvmLauncher.start(spec.withProperties(credentials.issue(name).settings())), port);
  }

  synchronized Member addWorker() {
    int port = port();
    String name = "worker-node-" + (++started);
    JvmSpec spec =
        JvmSpec.workerNode(name, port, seeds(), workersPerNode, me, logs.resolve(name + ".log"))
            .withProperties(credentials.issue(name).settings());
    Member member = new Member(JvmLauncher.start(spec), port);
    workers.add(member);
    return member;
  }

  /** The worker JVMs alive now. */
  List<Member> liveWorkers() {
    workers.removeIf(m -> !m.process().isAlive());
    return List.copyOf(workers);
  }

  Member anyWorker(Random random) {
    List<Member> live = liveWorkers();
    return live.isEmpty() ? null : live.get(random.nextInt(live.size()));
  }

  /**
   * SIGKILL of the coordinator JVM that runs the singleton (the oldest), and a new coordinator JVM
   * in its place, which joins as the youngest: the singleton moves to the one that was the standby.
   * With no standby up, only the new one starts: the soak tests failover, not a cluster without any
   * coordinator.
   */
  synchronized boolean restartCoordinator() {
    coordinators.removeIf(m -> !m.process().isAlive());
    boolean standby = coordinators.size() >= 2;
    if (standby) kill(coordinators.remove(0));
    coordinators.add(startCoordinator(seeds()));
    return standby;
  }

  /**
   * SIGKILL, and, once the process has ended, its member downed at once through this member: the
   * soak started the JVM and saw it end, as a supervisor does, so nobody waits for the failure
   * detector.
   */
  void kill(Member member) {
    member.process().kill();
    member
        .process()
        .handle()
        .onExit()
        .thenRun(
            () -> {
              if (client != null) new ClusterDowning(client.system()).down(member.port());
            });
  }

  /**
   * Waits, a bounded while, until every member is up and reachable: a fault lands on a cluster that
   * has recovered from the last one, as faults do in practice, rather than on one that is still
   * deciding whom to down.
   */
  void awaitCalm(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      var state = Cluster.get(client.system()).state();
      boolean calm = state.getUnreachable().isEmpty();
      for (var member : state.getMembers()) calm &= member.status() == MemberStatus.up();
      if (calm) return;
      Thread.sleep(200);
    }
  }

  /** Whether this JVM's own member still runs: a downed client ends the soak early, saying so. */
  boolean clientAlive() {
    return client != null && !client.system().whenTerminated().isCompleted();
  }

  @Override
  public void close() {
    List<Thread> stopping = new ArrayList<>();
    for (Member m : workers) stopping.add(stopper(m));
    for (Member m : coordinators) stopping.add(stopper(m));
    for (Thread t : stopping) {
      try {
        t.join(STOP_GRACE.toMillis() + 15_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (client != null) client.close();
    credentials.close();
  }

  private static Thread stopper(Member member) {
    Thread t =
        new Thread(() -> member.process().stop(STOP_GRACE), "soak-stop-" + member.process().name());
    t.start();
    return t;
  }
}
