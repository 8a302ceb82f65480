package org.clusterpool.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.clusterpool.coordinator.http.HttpApi;
import org.clusterpool.coordinator.testcluster.SharedCluster;
import org.clusterpool.node.tls.CertificateFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS on the command line: {@code certificates DIR} makes the files a coordinator serves, {@code
 * --connect https://... --ca-file} runs a job on it, a client that does not trust it fails in one
 * line, and a coordinator refuses plain HTTP beyond loopback before it starts.
 */
@ExtendWith(SharedCluster.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class HttpsOptionsTest {
  @TempDir static Path dir;
  private HttpApi api;
  private Path ca;

  @BeforeAll
  void start(SharedCluster cluster) {
    api = SharedCluster.startHttpsApi(cluster.cluster(), dir.resolve("api"), List.of("localhost"));
    ca = dir.resolve("api").resolve(CertificateFiles.CA_CERTIFICATE);
  }

  @AfterAll
  void stop() {
    if (api != null) api.close();
  }

  private String url() {
    return "https://localhost:" + api.address().getPort();
  }

  @Test
  void connectWithTheCaFileRunsAJobOverHttps() {
    MainTest.Run run =
        MainTest.run(
            "map",
            "square",
            "1..4",
            "--connect",
            url(),
            "--token-file",
            SharedCluster.tokenFile().toString(),
            "--ca-file",
            ca.toString());
    assertEquals(0, run.code(), run.err());
    assertEquals(List.of("1", "4", "9", "16"), run.out().lines().toList());
  }

  @Test
  void connectWithoutTrustFailsInOneLineThatSaysWhatToGive() {
    MainTest.Run run =
        MainTest.run(
            "map",
            "square",
            "1..3",
            "--connect",
            url(),
            "--token-file",
            SharedCluster.tokenFile().toString());
    assertEquals(1, run.code(), run.err());
    assertEquals("", run.out());
    assertEquals(1, run.err().lines().count(), "one line: " + run.err());
    assertTrue(run.err().contains("does not trust"), run.err());
    assertTrue(run.err().contains("--ca-file"), run.err());
    assertTrue(!run.err().contains("is it running"), "the cluster runs: " + run.err());

    MainTest.Run notACertificate =
        MainTest.run(
            "map",
            "square",
            "1..3",
            "--connect",
            url(),
            "--ca-file",
            SharedCluster.tokenFile().toString());
    assertEquals(2, notACertificate.code(), notACertificate.err());
    assertTrue(
        notACertificate.err().startsWith("clusterpool: --ca-file: ")
            && notACertificate.err().contains("holds no certificate"),
        notACertificate.err());
    assertTrue(
        !notACertificate.err().contains(SharedCluster.TOKEN), "never the file's content echoed");
  }

  @Test
  void aCoordinatorRefusesPlainHttpBeyondLoopbackBeforeItStarts() {
    MainTest.Run run =
        MainTest.run(
            "coordinator", "--port", "0", "--http-port", "0", "--http-interface", "0.0.0.0");
    assertEquals(2, run.code(), run.err());
    assertEquals(1, run.err().lines().count(), "one line: " + run.err());
    assertTrue(
        run.err().startsWith("clusterpool: the HTTP API would listen on 0.0.0.0"), run.err());
    assertTrue(run.err().contains("--http-tls-dir DIR"), run.err());

    MainTest.Run missing =
        MainTest.run(
            "coordinator",
            "--port",
            "0",
            "--http-port",
            "0",
            "--http-tls-dir",
            dir.resolve("nothing").toString());
    assertEquals(2, missing.code(), missing.err());
    assertTrue(missing.err().contains("no certificate to serve HTTPS with"), missing.err());
  }

  @Test
  void certificatesMakesPrivateFilesThatNameTheHostsGiven() throws Exception {
    Path made = dir.resolve("made");
    MainTest.Run run =
        MainTest.run(
            "certificates", made.toString(), "--host", "10.0.0.5", "--host", "api.example");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("--http-tls-dir " + made), run.out());
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(made)));
    for (String key : List.of(CertificateFiles.KEY, CertificateFiles.CA_KEY)) {
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(made.resolve(key))));
    }
    X509Certificate certificate;
    X509Certificate authority;
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    try (InputStream in = Files.newInputStream(made.resolve(CertificateFiles.CERTIFICATE))) {
      certificate = (X509Certificate) factory.generateCertificate(in);
    }
    try (InputStream in = Files.newInputStream(made.resolve(CertificateFiles.CA_CERTIFICATE))) {
      authority = (X509Certificate) factory.generateCertificate(in);
    }
    certificate.verify(authority.getPublicKey());
    List<String> names = new ArrayList<>();
    for (List<?> name : certificate.getSubjectAlternativeNames()) names.add((String) name.get(1));
    assertEquals(
        List.of("clusterpool", "localhost", "127.0.0.1", "10.0.0.5", "api.example"), names);
    assertEquals("RSA", certificate.getPublicKey().getAlgorithm(), "Pekko 1.2 reads RSA only");
    assertTrue(certificate.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "server auth");
    assertTrue(certificate.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.2"), "client auth");

    MainTest.Run again = MainTest.run("certificates", made.toString());
    assertEquals(2, again.code(), again.err());
    assertTrue(again.err().contains("exists already: it is not written over"), again.err());
    MainTest.Run badHost =
        MainTest.run("certificates", dir.resolve("other").toString(), "--host", "a b\u001b[31m");
    assertEquals(2, badHost.code(), badHost.err());
    assertEquals(1, badHost.err().lines().count(), badHost.err());
    assertTrue(!badHost.err().contains("\u001b"), "escaped: " + badHost.err());
  }
}
