package org.clusterpool.coordinator.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.clusterpool.coordinator.k8s.StandInApiServer.RunningPod;
import org.clusterpool.node.NodeMain;
import org.clusterpool.node.launcher.JvmLauncher;
import org.clusterpool.node.launcher.JvmProcess;
import org.clusterpool.node.launcher.JvmSpec;
import org.clusterpool.node.tls.PemSecret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster Bootstrap over the Kubernetes API, configured exactly as in a pod
 * (config/kubernetes.conf, the Deployments' environment, the service account's files), forms a real
 * cluster of three JVMs, each at its own "pod IP" (127.0.0.2, .3, .4: Linux routes all of
 * 127.0.0.0/8 to loopback), and a map job runs through it. Only the API server is stood in ({@link
 * StandInApiServer}); the members start by the production path ({@link NodeMain#start}, {@code
 * CoordinatorNode.start}).
 */
@Timeout(300)
class KubernetesBootstrapTest {
  private static final String NAMESPACE = "clusterpool-test";
  private static final String TOKEN = "stand-in-service-account-token";
  private static final String COORDINATOR_IP = "127.0.0.2";
  private static final List<String> WORKER_IPS = List.of("127.0.0.3", "127.0.0.4");
  private static final Duration WAIT = Duration.ofSeconds(180);
  private static final long INPUTS = 100_000;

  private final List<JvmProcess> jvms = new CopyOnWriteArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final ManifestPods manifests = new ManifestPods();

  /**
   * The service account's files and the members' logs; a failure's message carries the logs' last
   * lines.
   */
  @TempDir Path dir;

  private TestCertificates certificates;
  private StandInApiServer api;
  private int remotingPort;
  private int managementPort;

  /** The labels and port names of the pods that k8s/ makes: the stand-in reports pods like them. */
  private static final class ManifestPods {
    final Map<String, String> coordinatorLabels;
    final Map<String, String> workerLabels;

    ManifestPods() {
      var resources = Manifests.ofKustomization(Manifests.directory());
      coordinatorLabels =
          ManifestsTest.podLabels(
              Manifests.one(resources, Deployment.class, ManifestsTest.COORDINATOR));
      workerLabels =
          ManifestsTest.podLabels(Manifests.one(resources, Deployment.class, ManifestsTest.WORKER));
    }
  }

  @BeforeEach
  void serviceAccountFiles() throws Exception {
    certificates = TestCertificates.create(dir);
    // what Kubernetes mounts in every pod at /var/run/secrets/kubernetes.io/serviceaccount/
    Files.writeString(dir.resolve("token"), TOKEN);
    Files.writeString(dir.resolve("namespace"), NAMESPACE);
    // the Secret every pod mounts (clusterpool-tls): the members speak mutual TLS, as on Kubernetes
    PemSecret.write(dir.resolve("clusterpool-tls"));
    List<String> ips = new ArrayList<>(WORKER_IPS);
    ips.add(COORDINATOR_IP);
    remotingPort = freeOnAll(ips);
    do {
      managementPort = freeOnAll(ips);
    } while (managementPort == remotingPort);
  }

  @AfterEach
  void stopEverything() {
    for (JvmProcess jvm : jvms) jvm.close(); // SIGTERM, then SIGKILL after 10 s
    for (JvmProcess jvm : jvms) assertFalse(jvm.isAlive(), jvm + " still runs");
    if (api != null) api.close();
  }

  @Test
  void threeJvmsFindEachOtherThroughTheKubernetesApiAndRunAMapJob() throws Exception {
    List<RunningPod> pods = new ArrayList<>();
    pods.add(
        new RunningPod(
            "clusterpool-coordinator-7d9f-abcde",
            COORDINATOR_IP,
            manifests.coordinatorLabels,
            Map.of("remoting", remotingPort, "management", managementPort, "http", 8080)));
    for (int i = 0; i < WORKER_IPS.size(); i++) {
      pods.add(
          new RunningPod(
              "clusterpool-worker-5c8b-" + i,
              WORKER_IPS.get(i),
              manifests.workerLabels,
              Map.of("remoting", remotingPort, "management", managementPort)));
    }
    // another application's pod in the namespace: the label selector must leave it out, or the
    // bootstrap would
    // wait for ever on a contact point that never answers
    pods.add(
        new RunningPod(
            "someone-else",
            "127.0.0.9",
            Map.of("app.kubernetes.io/name", "something-else"),
            Map.of("management", managementPort)));
    api = StandInApiServer.start(certificates, NAMESPACE, TOKEN, pods);

    Path result = dir.resolve("coordinator-result.properties");
    JvmProcess coordinator =
        start(
            member(
                "coordinator",
                COORDINATOR_IP,
                BootstrapCoordinatorMain.class.getName(),
                List.of(
                    Integer.toString(WORKER_IPS.size()),
                    Long.toString(INPUTS),
                    result.toString())));
    List<JvmProcess> workers = new ArrayList<>();
    for (int i = 0; i < WORKER_IPS.size(); i++) {
      workers.add(
          start(
              member(
                  "worker-" + i,
                  WORKER_IPS.get(i),
                  NodeMain.class.getName(),
                  List.of(
                      "--config",
                      "kubernetes",
                      "--port",
                      Integer.toString(remotingPort),
                      "--workers",
                      "1"))));
    }

    // Kubernetes' readiness probe: red until the member is Up, then green on every pod
    for (String ip : allIps())
      await("/ready on " + ip, () -> get(ip, "/ready").statusCode() == 200);

    JsonNode members = new ObjectMapper().readTree(get(COORDINATOR_IP, "/cluster/members").body());
    assertEquals(3, members.path("members").size(), members.toPrettyString());
    List<String> roles = new ArrayList<>();
    for (JsonNode member : members.path("members")) {
      assertEquals("Up", member.path("status").asText(), member.toString());
      for (JsonNode role : member.path("roles"))
        if (!role.asText().startsWith("dc-")) roles.add(role.asText());
      assertTrue(
          member.path("node").asText().contains("@127.0.0."),
          "members at their pod IPs: " + member);
    }
    assertEquals(List.of("coordinator", "worker", "worker"), roles.stream().sorted().toList());

    await("the coordinator's map job", () -> Files.exists(result));
    Properties outcome = new Properties();
    try (Reader in = Files.newBufferedReader(result)) {
      outcome.load(in);
    }
    assertEquals("done", outcome.getProperty("outcome"), outcome + logs());
    assertEquals(Long.toString(INPUTS), outcome.getProperty("results"));
    assertEquals("0", outcome.getProperty("wrong"), "every square right");
    assertEquals(
        "pekko://clusterpool@"
            + WORKER_IPS.get(0)
            + ":"
            + remotingPort
            + " pekko://clusterpool@"
            + WORKER_IPS.get(1)
            + ":"
            + remotingPort,
        outcome.getProperty("worker-nodes"),
        "both worker JVMs ran inputs");

    String expected =
        "GET /api/v1/namespaces/"
            + NAMESPACE
            + "/pods?labelSelector=app.kubernetes.io/name=clusterpool";
    assertFalse(api.requests().isEmpty());
    for (String request : api.requests())
      assertEquals(expected, request, "the pods' query: their namespace, the cluster's label");

    // kubectl delete pod / scale down: SIGTERM, coordinated shutdown, and the JVM ends by itself
    // (exit-jvm)
    for (JvmProcess worker : workers) {
      worker.handle().destroy();
      assertTrue(
          worker.waitFor(Duration.ofSeconds(90)),
          worker + " ends by itself after SIGTERM" + logs());
    }
    coordinator.handle().destroy();
    assertTrue(
        coordinator.waitFor(Duration.ofSeconds(90)),
        coordinator + " ends by itself after SIGTERM" + logs());
  }

  /**
   * A ServiceAccount without the Role: the pod is alive but never ready, and its log says what to
   * fix.
   */
  @Test
  void whenTheApiForbidsListingPodsTheMemberStaysUnreadyAndTheLogSaysToCheckRbac()
      throws Exception {
    api =
        StandInApiServer.start(
            certificates,
            NAMESPACE,
            TOKEN,
            List.of(
                new RunningPod(
                    "clusterpool-worker-0",
                    WORKER_IPS.get(0),
                    manifests.workerLabels,
                    Map.of("management", managementPort))));
    api.forbid();
    JvmProcess worker =
        start(
            member(
                "worker-forbidden",
                WORKER_IPS.get(0),
                NodeMain.class.getName(),
                List.of(
                    "--config",
                    "kubernetes",
                    "--port",
                    Integer.toString(remotingPort),
                    "--workers",
                    "1")));
    Path log = worker.spec().logFile();
    await(
        "the log to tell about RBAC", () -> Files.exists(log) && read(log).contains("check RBAC"));
    assertFalse(api.requests().isEmpty(), "the member asked the API");
    assertEquals(
        200,
        get(WORKER_IPS.get(0), "/alive").statusCode(),
        "alive: Kubernetes must not restart it in a loop");
    HttpResponse<String> ready = get(WORKER_IPS.get(0), "/ready");
    assertNotEquals(
        200, ready.statusCode(), "not ready: no Service sends it work: " + ready.body());
    assertTrue(
        read(log)
            .contains("Forbidden to communicate with Kubernetes API server; check RBAC settings"),
        read(log));
  }

  /**
   * A member as its Deployment starts it: the pod's environment, and the service account's files.
   */
  private JvmSpec member(String name, String ip, String mainClass, List<String> args) {
    return new JvmSpec(
            name,
            mainClass,
            args,
            "256m",
            dir.resolve(name + ".log"),
            Map.of(
                // the logging of the jar (config/logback.xml), not the capturing one of the tests'
                // class path
                "logback.configurationFile", "logback.xml",
                // the files Kubernetes mounts at /var/run/secrets/kubernetes.io/serviceaccount/,
                // here in the test's folder
                "pekko.discovery.kubernetes-api.api-ca-path",
                    certificates.caCertificate().toString(),
                "pekko.discovery.kubernetes-api.api-token-path", dir.resolve("token").toString(),
                "pekko.discovery.kubernetes-api.pod-namespace-path",
                    dir.resolve("namespace").toString()))
        .withEnvironment(
            Map.of(
                // what Kubernetes gives every container
                "KUBERNETES_SERVICE_HOST", "127.0.0.1",
                "KUBERNETES_SERVICE_PORT", Integer.toString(api.port()),
                // what the Deployments of k8s/ give (CLUSTERPOOL_HOSTNAME: status.podIP)
                "CLUSTERPOOL_HOSTNAME", ip,
                "CLUSTERPOOL_PORT", Integer.toString(remotingPort),
                "CLUSTERPOOL_MANAGEMENT_PORT", Integer.toString(managementPort),
                "REQUIRED_CONTACT_POINT_NR", "3",
                // where the Deployments mount the Secret clusterpool-tls (tls.key, tls.crt, ca.crt)
                "CLUSTERPOOL_TLS_DIR", dir.resolve("clusterpool-tls").toString()));
  }

  private JvmProcess start(JvmSpec spec) {
    JvmProcess jvm = JvmLauncher.start(spec);
    jvms.add(jvm);
    return jvm;
  }

  private List<String> allIps() {
    List<String> ips = new ArrayList<>(List.of(COORDINATOR_IP));
    ips.addAll(WORKER_IPS);
    return ips;
  }

  private HttpResponse<String> get(String ip, String path) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://" + ip + ":" + managementPort + path))
              .timeout(Duration.ofSeconds(5))
              .build();
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(path + " on " + ip + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits for a condition, failing with the members' logs if a JVM ends or the wait runs out. */
  private void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      try {
        if (condition.getAsBoolean()) return;
      } catch (IllegalStateException e) {
        // not listening yet
      }
      for (JvmProcess jvm : jvms) {
        if (!jvm.isAlive())
          throw new AssertionError(jvm + " ended while waiting for " + what + logs());
      }
      if (System.nanoTime() > deadline)
        throw new AssertionError("waited " + WAIT.toSeconds() + " s for " + what + logs());
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** The end of every member's log, for a failure's message. */
  private String logs() {
    StringBuilder out = new StringBuilder();
    for (JvmProcess jvm : jvms) {
      String log = Files.exists(jvm.spec().logFile()) ? read(jvm.spec().logFile()) : "";
      List<String> lines = log.lines().toList();
      out.append("\n---- ")
          .append(jvm)
          .append(", last lines of ")
          .append(jvm.spec().logFile())
          .append('\n');
      lines
          .subList(Math.max(0, lines.size() - 40), lines.size())
          .forEach(line -> out.append(line).append('\n'));
    }
    return out.toString();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * One port free on every one of these addresses, so that each "pod" listens on the same port, as
   * pods do.
   */
  private static int freeOnAll(List<String> ips) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port;
      try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getByName(ips.get(0)))) {
        port = first.getLocalPort();
      }
      boolean free = true;
      for (String ip : ips) {
        try (ServerSocket socket = new ServerSocket()) {
          socket.bind(new InetSocketAddress(InetAddress.getByName(ip), port));
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) return port;
    }
    throw new IllegalStateException("no port free on all of " + ips);
  }
}
