package org.clusterpool.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.clusterpool.coordinator.connect.ApiClient;
import org.clusterpool.coordinator.connect.ApiTrust;
import org.clusterpool.coordinator.dashboard.LoginTickets;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.coordinator.testcluster.SharedCluster;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.clusterpool.node.tls.CertificateFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API over HTTPS: it serves the certificate of its directory, and a client that trusts the
 * CA that signed it runs jobs; a client that does not trust it, one that reaches it by a name the
 * certificate does not hold, and one that speaks the wrong protocol each fail in one line that says
 * what to do. A renewed certificate serves the next connection without a restart. Beyond loopback,
 * plain HTTP is refused unless asked for, and unfit files are refused before the API listens.
 */
@ExtendWith(SharedCluster.Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class HttpsApiTest {
  @TempDir static Path dir;
  private SharedCluster cluster;
  private Path served;
  private Path firstCa;
  private HttpApi api;

  @BeforeAll
  void start(SharedCluster cluster) {
    this.cluster = cluster;
    // the certificate names localhost only: a client that comes as 127.0.0.1 reached another name
    served = dir.resolve("first");
    api = SharedCluster.startHttpsApi(cluster.cluster(), served, List.of("localhost"));
    firstCa = served.resolve(CertificateFiles.CA_CERTIFICATE);
  }

  @AfterAll
  void stop() {
    if (api != null) api.close();
  }

  private URI at(String host) {
    return URI.create("https://" + host + ":" + api.address().getPort());
  }

  @Test
  void aClientThatTrustsItsCaRunsAJobOverHttps() {
    assertTrue(api.url().startsWith("https://"), api.url());
    try (ClusterPool pool =
        ClusterPool.builder()
            .token(SharedCluster.TOKEN)
            .caFile(firstCa)
            .connect(at("localhost").toString())) {
      assertEquals(List.of(1L, 4L, 9L), pool.map(BuiltinTasks.SQUARE, List.of(1L, 2L, 3L)));
    }
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateIsToldWhichCaToGive() {
    ApiClient.Unreachable refused =
        assertThrows(
            ApiClient.Unreachable.class,
            () -> new ApiClient(at("localhost"), SharedCluster.TOKEN, ApiTrust.system()).get("/"));
    assertTrue(refused.getMessage().contains("does not trust"), refused.getMessage());
    assertTrue(refused.getMessage().contains("--ca-file"), refused.getMessage());
    assertEquals("", refused.hint("; is it running?"), "nothing says the cluster is down");
  }

  @Test
  void aClientThatReachesANameTheCertificateDoesNotHoldIsToldSo() {
    ApiClient.Unreachable refused =
        assertThrows(
            ApiClient.Unreachable.class,
            () ->
                new ApiClient(
                        at("127.0.0.1"), SharedCluster.TOKEN, ApiTrust.caFile(firstCa, "--ca-file"))
                    .get("/"));
    assertTrue(
        refused.getMessage().contains("does not name the host '127.0.0.1'"), refused.getMessage());
  }

  @Test
  void theWrongProtocolOnEitherSideIsOneLineThatNamesTheRightOne() {
    ApiClient.Unreachable plainToHttps =
        assertThrows(
            ApiClient.Unreachable.class,
            () ->
                new ApiClient(
                        URI.create("http://localhost:" + api.address().getPort()),
                        SharedCluster.TOKEN)
                    .get("/"));
    assertTrue(plainToHttps.getMessage().contains("give https://"), plainToHttps.getMessage());

    URI plain = cluster.url(); // the shared cluster's API speaks plain HTTP on loopback
    ApiClient.Unreachable httpsToPlain =
        assertThrows(
            ApiClient.Unreachable.class,
            () ->
                new ApiClient(
                        URI.create("https://" + plain.getRawAuthority()),
                        SharedCluster.TOKEN,
                        ApiTrust.caFile(firstCa, "--ca-file"))
                    .get("/"));
    assertTrue(httpsToPlain.getMessage().contains("does not speak TLS"), httpsToPlain.getMessage());
  }

  @Test
  void aLoginOverHttpsGivesACookieSentOverHttpsOnly() throws Exception {
    String ticket = LoginTickets.make(SharedCluster.TOKEN, System.currentTimeMillis());
    HttpClient trusting =
        HttpClient.newBuilder()
            .sslContext(ApiTrust.caFile(firstCa, "ca").context())
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    HttpResponse<String> login =
        trusting.send(
            HttpRequest.newBuilder(at("localhost").resolve("/ui/login?ticket=" + ticket))
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(303, login.statusCode(), login.body());
    String cookie = login.headers().firstValue("Set-Cookie").orElse("");
    assertTrue(cookie.contains("; Secure"), cookie);
    assertTrue(cookie.contains("HttpOnly"), cookie);
  }

  @Test
  void aRenewedCertificateServesTheNextConnectionWithoutARestart() throws IOException {
    Path renewal = dir.resolve("renewal");
    CertificateFiles.make(renewal, List.of("localhost"), Duration.ofDays(2));
    Path renewedCa = renewal.resolve(CertificateFiles.CA_CERTIFICATE);
    ApiClient oldTrust =
        new ApiClient(at("localhost"), SharedCluster.TOKEN, ApiTrust.caFile(firstCa, "ca"));
    oldTrust.get("/");
    Path keep = dir.resolve("kept");
    Files.createDirectories(keep);
    for (String file : List.of(CertificateFiles.KEY, CertificateFiles.CERTIFICATE)) {
      Files.copy(served.resolve(file), keep.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    try {
      // as cert-manager renews a Secret: new files in place, with a new time
      FileTime later = FileTime.from(Instant.now().plusSeconds(5));
      for (String file : List.of(CertificateFiles.KEY, CertificateFiles.CERTIFICATE)) {
        Files.copy(
            renewal.resolve(file), served.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(served.resolve(file), later);
      }
      ApiClient newTrust =
          new ApiClient(at("localhost"), SharedCluster.TOKEN, ApiTrust.caFile(renewedCa, "ca"));
      newTrust.get("/cluster"); // a new client: a new connection, served the new certificate
      ApiClient.Unreachable old =
          assertThrows(
              ApiClient.Unreachable.class,
              () ->
                  new ApiClient(
                          at("localhost"), SharedCluster.TOKEN, ApiTrust.caFile(firstCa, "ca"))
                      .get("/cluster"));
      assertTrue(old.getMessage().contains("does not trust"), old.getMessage());
    } finally {
      FileTime again = FileTime.from(Instant.now().plusSeconds(10));
      for (String file : List.of(CertificateFiles.KEY, CertificateFiles.CERTIFICATE)) {
        Files.copy(keep.resolve(file), served.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(served.resolve(file), again);
      }
    }
  }

  @Test
  void plainHttpBeyondLoopbackIsRefusedUnlessAskedFor() {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> ApiTransport.resolve(HttpsSettings.NONE, "0.0.0.0"));
    assertTrue(refused.getMessage().contains("in plain HTTP"), refused.getMessage());
    assertTrue(refused.getMessage().contains("--http-tls-dir"), refused.getMessage());
    assertFalse(ApiTransport.resolve(HttpsSettings.NONE, "127.0.0.1").https());
    ApiTransport behindAProxy =
        ApiTransport.resolve(HttpsSettings.NONE.withInsecurePlainHttp(), "0.0.0.0");
    assertTrue(behindAProxy.insecure("0.0.0.0"), "warned about at every start");
    ApiTransport https =
        ApiTransport.resolve(HttpsSettings.NONE.withDir(served.toString()), "0.0.0.0");
    assertTrue(https.https());
    assertFalse(https.insecure("0.0.0.0"));
  }

  @Test
  void unfitFilesAreRefusedInOneLineBeforeTheApiListens() throws IOException {
    Path other = dir.resolve("other");
    CertificateFiles.make(other, List.of(), Duration.ofDays(2));
    Path mixed = dir.resolve("mixed");
    Files.createDirectories(mixed);
    Files.copy(other.resolve(CertificateFiles.KEY), mixed.resolve(CertificateFiles.KEY));
    Files.copy(
        served.resolve(CertificateFiles.CERTIFICATE), mixed.resolve(CertificateFiles.CERTIFICATE));
    assertRefused(mixed, "is not the key of its certificate");

    Path open = dir.resolve("open");
    Files.createDirectories(open);
    Files.copy(served.resolve(CertificateFiles.KEY), open.resolve(CertificateFiles.KEY));
    Files.copy(
        served.resolve(CertificateFiles.CERTIFICATE), open.resolve(CertificateFiles.CERTIFICATE));
    Files.setPosixFilePermissions(
        open.resolve(CertificateFiles.KEY), PosixFilePermissions.fromString("rw-r--r--"));
    assertRefused(open, "may be read by other users");

    Path garbage = dir.resolve("garbage");
    Files.createDirectories(garbage);
    Files.writeString(garbage.resolve(CertificateFiles.KEY), "not a key");
    Files.setPosixFilePermissions(
        garbage.resolve(CertificateFiles.KEY), PosixFilePermissions.fromString("rw-------"));
    Files.copy(
        served.resolve(CertificateFiles.CERTIFICATE),
        garbage.resolve(CertificateFiles.CERTIFICATE));
    assertRefused(garbage, "holds no private key");

    assertRefused(dir.resolve("none"), "no certificate to serve HTTPS with");
  }

  private static void assertRefused(Path tlsDir, String why) {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> ApiTransport.resolve(HttpsSettings.NONE.withDir(tlsDir.toString()), "127.0.0.1"));
    assertTrue(refused.getMessage().contains(why), refused.getMessage());
    assertFalse(refused.getMessage().contains("\n"), refused.getMessage());
  }
}
