package org.clusterpool.coordinator.members;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.clusterpool.coordinator.connect.ApiToken;
import org.clusterpool.coordinator.http.HttpApi;
import org.clusterpool.coordinator.http.HttpSettings;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.coordinator.testcluster.Await;
import org.clusterpool.node.NodeOptions;
import org.clusterpool.node.config.LayeredConfig;
import org.clusterpool.node.launcher.JvmLauncher;
import org.clusterpool.node.launcher.JvmProcess;
import org.clusterpool.node.launcher.JvmSpec;
import org.clusterpool.node.launcher.Ports;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.clusterpool.node.tls.ClusterCredentials;
import org.clusterpool.node.tls.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The coordinator's JVM killed with SIGKILL while a job runs from a client on another JVM: the
 * singleton moves to the standby coordinator, the client sends its unfinished chunks there, and the
 * job completes with every result once. Five JVMs: the first coordinator, this JVM as the standby,
 * two workers, the client. A second job, from {@code ClusterPool.connect} to the standby's HTTP API
 * (as a program reaches a Kubernetes replica), completes too.
 */
@Timeout(300)
class CoordinatorFailoverTest {
  private final List<JvmProcess> started = new ArrayList<>();
  private CoordinatorNode standby;
  private HttpApi standbyApi;
  private ClusterPool connected;

  /** The members speak mutual TLS, as they do by default: each is given its certificate. */
  private final ClusterCredentials credentials =
      ClusterCredentials.make(Transport.TLS, Optional.empty(), LayeredConfig.load("local-cluster"));

  @AfterEach
  void stopEverything() {
    if (connected != null) connected.terminate();
    if (standbyApi != null) standbyApi.close();
    for (JvmProcess process : started) process.stop(Duration.ofSeconds(10));
    if (standby != null) standby.close();
    credentials.close();
    for (JvmProcess process : started) assertTrue(!process.isAlive(), process + " still runs");
  }

  private JvmProcess launch(JvmSpec spec) {
    JvmProcess process =
        JvmLauncher.start(spec.withProperties(credentials.issue(spec.name()).settings()));
    started.add(process);
    return process;
  }

  @Test
  void aJobFromAClientJvmCompletesWhenTheCoordinatorJvmIsKilled() throws Exception {
    Path logs = Files.createTempDirectory("clusterpool-failover");
    long me = ProcessHandle.current().pid();
    Set<Integer> taken = new java.util.HashSet<>();
    int firstPort = Ports.freeFrom(27000, taken);
    taken.add(firstPort);
    String seed = "pekko://clusterpool@127.0.0.1:" + firstPort;
    JvmProcess first =
        launch(
            new JvmSpec(
                "first-coordinator",
                "org.clusterpool.coordinator.cli.Main",
                List.of(
                    "coordinator",
                    "--hostname",
                    "127.0.0.1",
                    "--port",
                    Integer.toString(firstPort),
                    "--http-port",
                    Integer.toString(Ports.freeFrom(18080, taken))),
                "256m",
                logs.resolve("first-coordinator.log"),
                Map.of()));
    Await.until(
        "the first coordinator's log",
        Duration.ofSeconds(60),
        () -> log(logs, "first-coordinator").contains("Cluster Node"));

    int standbyPort = Ports.freeFrom(firstPort + 1, taken);
    taken.add(standbyPort);
    standby =
        CoordinatorNode.start(
            new NodeOptions(
                    "local-cluster",
                    NodeOptions.COORDINATOR,
                    "127.0.0.1",
                    standbyPort,
                    List.of(seed),
                    1,
                    0)
                .withTransport(credentials.issue("standby")));
    for (int i = 1; i <= 2; i++) {
      int port = Ports.freeFrom(standbyPort + 1, taken);
      taken.add(port);
      launch(
          JvmSpec.workerNode(
              "worker-node-" + i,
              port,
              List.of(seed),
              1,
              me,
              logs.resolve("worker-node-" + i + ".log")));
    }
    // a program's pool on the standby's HTTP API: its job, submitted there, runs on whichever
    // member holds the singleton
    HttpSettings http =
        HttpSettings.fromConfig(standby.system().settings().config()).withAddress("127.0.0.1", 0);
    String token = ApiToken.random();
    standbyApi =
        HttpApi.start(
            standby.system(),
            standby.coordinator(),
            http.withAccess(http.access().withToken(token)));
    connected =
        ClusterPool.builder()
            .token(token)
            .requestTimeout(Duration.ofSeconds(60))
            .connect(standbyApi.url());
    List<Double> waits = java.util.Collections.nCopies(400, 0.05);
    CompletableFuture<List<Double>> viaHttp =
        connected.mapAsync(BuiltinTasks.SLEEP_BLOCKING, waits, 1).toCompletableFuture();

    int clientPort = Ports.freeFrom(standbyPort + 1, taken);
    Path result = logs.resolve("client-result");
    int n = 400;
    JvmProcess client =
        launch(
            new JvmSpec(
                "client",
                "org.clusterpool.coordinator.testcluster.FailoverClientMain",
                List.of(
                    seed,
                    Integer.toString(clientPort),
                    Integer.toString(n),
                    result.toString(),
                    Long.toString(me)),
                "256m",
                logs.resolve("client.log"),
                Map.of()));

    Await.until(
        "the job to be well under way",
        Duration.ofSeconds(120),
        () -> {
          if (!client.isAlive())
            throw new AssertionError("the client JVM ended early:\n" + log(logs, "client"));
          return log(logs, "client").contains("progress 100");
        });
    assertTrue(!Files.exists(result), "the job is still running when the coordinator goes");
    assertTrue(
        !viaHttp.isDone(), "the connected pool's job is still running when the coordinator goes");
    first.kill(); // SIGKILL of the oldest coordinator-role member, where the singleton runs

    Await.until("the client's job to end", Duration.ofSeconds(200), () -> Files.exists(result));
    assertEquals(
        "done " + n,
        Files.readString(result).trim(),
        "every result, right, once; the client said:\n" + log(logs, "client"));
    assertEquals(
        waits,
        viaHttp.get(200, TimeUnit.SECONDS),
        "the connected pool's job: every result, in order, once");
    assertTrue(!first.isAlive());
    ClusterPool here = ClusterPool.connect(standby.system(), standby.coordinator(), 2);
    assertEquals(
        2,
        here.status(Duration.ofSeconds(10)).workers().size(),
        "the coordinator runs on the standby now, with both workers");
  }

  private static String log(Path logs, String name) {
    try {
      Path file = logs.resolve(name + ".log");
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
