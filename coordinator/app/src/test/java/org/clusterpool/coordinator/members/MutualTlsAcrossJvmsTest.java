package org.clusterpool.coordinator.members;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.coordinator.pool.Inputs;
import org.clusterpool.coordinator.testcluster.Await;
import org.clusterpool.coordinator.testcluster.SharedCluster;
import org.clusterpool.node.config.LayeredConfig;
import org.clusterpool.node.launcher.JvmLauncher;
import org.clusterpool.node.launcher.JvmProcess;
import org.clusterpool.node.launcher.JvmSpec;
import org.clusterpool.node.launcher.Ports;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.clusterpool.node.task.builtin.WhoAmI;
import org.clusterpool.node.tls.ClusterCa;
import org.clusterpool.node.tls.MemberTransport;
import org.clusterpool.node.tls.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The members of a local cluster speak mutual TLS: a worker JVM with a certificate of another CA,
 * or speaking plain TCP, tries to join and is never a member (its connections fail in the TLS
 * handshake, as its log says), and a job on the cluster still completes, on the cluster's own
 * worker only; a worker JVM with no certificate at all is refused at start in one line.
 */
@ExtendWith(SharedCluster.Extension.class)
@Timeout(240)
class MutualTlsAcrossJvmsTest {
  @TempDir Path dir;
  private final List<JvmProcess> started = new ArrayList<>();

  @AfterEach
  void stopThem() {
    for (JvmProcess process : started) process.kill();
  }

  @Test
  void aWorkerWithAnotherCasCertificateNeverJoinsAndAJobStillCompletes(SharedCluster shared) {
    ClusterCa foreign =
        ClusterCa.create(dir.resolve("foreign-ca"), LayeredConfig.load("local-cluster"));
    assertIsKeptOut(
        shared,
        "foreign-ca-worker",
        foreign.issue("foreign-ca-worker"),
        MutualTlsAcrossJvmsTest::tlsRefused);
  }

  @Test
  void aWorkerSpeakingPlainTcpNeverJoinsAndAJobStillCompletes(SharedCluster shared) {
    // its plain bytes are no TLS handshake: the coordinator's side drops the connection, and the
    // worker's joins fail
    assertIsKeptOut(
        shared, "plain-tcp-worker", MemberTransport.plainTcp(), log -> log.contains(JOIN_FAILED));
  }

  @Test
  void aWorkerWithoutACertificateIsRefusedAtStartInOneLine(SharedCluster shared) throws Exception {
    Path log = dir.resolve("no-certificate.log");
    JvmProcess worker =
        launch(
            JvmSpec.workerNode(
                "no-certificate",
                Ports.any(),
                List.of(shared.cluster().coordinator().address()),
                1,
                ProcessHandle.current().pid(),
                log));
    assertTrue(worker.waitFor(Duration.ofSeconds(60)), "the worker did not exit");
    assertEquals(2, worker.exitCode());
    List<String> lines =
        Files.readAllLines(log).stream()
            .filter(l -> !l.isBlank() && !l.startsWith("Picked up"))
            .toList();
    assertEquals(1, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(0).startsWith("clusterpool node: members speak mutual TLS"), lines.get(0));
    assertTrue(lines.get(0).contains("no certificate of the cluster's CA"), lines.get(0));
  }

  private static final String JOIN_FAILED = "Couldn't join seed nodes after";

  private void assertIsKeptOut(
      SharedCluster shared,
      String name,
      MemberTransport transport,
      Predicate<String> triedAndFailed) {
    LocalCluster cluster = shared.cluster();
    assertEquals(Transport.TLS, cluster.transport());
    int port = Ports.any();
    Path log = dir.resolve(name + ".log");
    JvmProcess rogue =
        launch(
            JvmSpec.workerNode(
                    name,
                    port,
                    List.of(cluster.coordinator().address()),
                    1,
                    ProcessHandle.current().pid(),
                    log)
                .withProperties(transport.settings())
                // it tries for as long as this test looks, not the 60 s after which a member gives
                // up
                .withProperties(
                    Map.of("pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes", "off")));
    // the proof that it tried: its connections to the coordinator fail in the TLS handshake
    long giveUp = System.nanoTime() + Duration.ofSeconds(110).toNanos();
    Await.until(
        "the handshake of " + name + " to fail",
        Duration.ofSeconds(120),
        () -> {
          String text = read(log);
          if (!rogue.isAlive()) throw new AssertionError(name + " ended:\n" + text);
          if (System.nanoTime() > giveUp)
            throw new AssertionError(name + " never said its joins failed:\n" + text);
          return triedAndFailed.test(text);
        });
    assertFalse(isMember(cluster, port), name + " is a member");

    ClusterPool pool = cluster.pool();
    List<WhoAmI.Answer> answers = pool.map(BuiltinTasks.WHOAMI, Inputs.range(1, 40L), 1);
    assertEquals(40, answers.size());
    for (WhoAmI.Answer answer : answers)
      assertEquals(shared.workerPid(), answer.pid(), "only the cluster's own worker works");
    assertTrue(rogue.isAlive(), name + " still tries");
    assertFalse(isMember(cluster, port), name + " is a member");
  }

  /**
   * What the JDK's TLS says in the member's log when a certificate is refused, by the other side or
   * by this one.
   */
  private static boolean tlsRefused(String log) {
    return log.contains("SSLHandshakeException")
        || log.contains("certificate_unknown")
        || log.contains("bad_certificate")
        || log.contains("PKIX path");
  }

  private static boolean isMember(LocalCluster cluster, int port) {
    Iterable<Member> members = Cluster.get(cluster.coordinator().system()).state().getMembers();
    return StreamSupport.stream(members.spliterator(), false)
        .anyMatch(m -> m.address().getPort().orElse(-1) == port);
  }

  private JvmProcess launch(JvmSpec spec) {
    JvmProcess process = JvmLauncher.start(spec);
    started.add(process);
    return process;
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }
}
