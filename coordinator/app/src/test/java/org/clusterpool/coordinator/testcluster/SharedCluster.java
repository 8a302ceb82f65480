package org.clusterpool.coordinator.testcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.clusterpool.coordinator.connect.ApiToken;
import org.clusterpool.coordinator.connect.TokenFiles;
import org.clusterpool.coordinator.http.HttpApi;
import org.clusterpool.coordinator.http.HttpSettings;
import org.clusterpool.coordinator.http.HttpsSettings;
import org.clusterpool.coordinator.members.LocalCluster;
import org.clusterpool.node.tls.CertificateFiles;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real cluster for the HTTP API and {@code --connect} tests, started once per test run: this
 * JVM is the coordinator (with the HTTP API on a free loopback port), one worker JVM of two workers
 * joins. JUnit closes it when the run ends, whatever happened; its worker JVM also leaves with this
 * JVM (it watches its parent).
 *
 * <pre>
 * &#64;ExtendWith(SharedCluster.Extension.class)
 * class MyTest {
 *   &#64;BeforeAll void start(SharedCluster cluster) { ... }
 * }
 * </pre>
 */
public final class SharedCluster implements AutoCloseable {
  /** A stream heartbeat short enough for a test to see one. */
  public static final Duration HEARTBEAT = Duration.ofMillis(300);

  /**
   * The token of every API these tests start from {@link #settings}: one per test run, as a cluster
   * has one.
   */
  public static final String TOKEN = ApiToken.random();

  private final LocalCluster cluster;
  private final HttpApi api;

  private SharedCluster(LocalCluster cluster, HttpApi api) {
    this.cluster = cluster;
    this.api = api;
  }

  static SharedCluster start() {
    LocalCluster cluster =
        LocalCluster.start(1, 2, Path.of("target", "test-logs", "shared-cluster"));
    try {
      return new SharedCluster(cluster, startApi(cluster, settings(cluster)));
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * The settings of the cluster's config, on a free loopback port, with a short heartbeat and
   * {@link #TOKEN}.
   */
  public static HttpSettings settings(LocalCluster cluster) {
    HttpSettings settings =
        HttpSettings.fromConfig(cluster.coordinator().system().settings().config());
    return settings
        .withAddress("127.0.0.1", 0)
        .withHeartbeat(HEARTBEAT)
        .withAccess(settings.access().withToken(TOKEN));
  }

  /**
   * A file that holds {@link #TOKEN}, readable by its owner only, for {@code --connect URL
   * --token-file FILE}: written once, in {@code target/}.
   */
  public static synchronized Path tokenFile() {
    Path file = Path.of("target", "test-logs", "shared-cluster-token").toAbsolutePath();
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.getParent());
        Path temp =
            Files.createTempFile(
                file.getParent(),
                "token",
                ".tmp",
                PosixFilePermissions.asFileAttribute(TokenFiles.OWNER_ONLY));
        Files.writeString(temp, TOKEN + "\n");
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      } else if (!Files.readString(file).strip().equals(TOKEN)) {
        Files.writeString(file, TOKEN + "\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /**
   * Another API on the same coordinator member, over HTTPS with a new certificate for {@code hosts}
   * (and {@code clusterpool}), whose files and CA ({@code ca.crt}) are made in {@code dir}.
   */
  public static HttpApi startHttpsApi(LocalCluster cluster, Path dir, List<String> hosts) {
    CertificateFiles.make(dir, hosts, Duration.ofDays(2));
    return startApi(
        cluster, settings(cluster).withHttps(HttpsSettings.NONE.withDir(dir.toString())));
  }

  /** Another API on the same coordinator member, with other settings (for limits). */
  public static HttpApi startApi(LocalCluster cluster, HttpSettings settings) {
    return HttpApi.start(
        cluster.coordinator().system(), cluster.coordinator().coordinator(), settings);
  }

  public LocalCluster cluster() {
    return cluster;
  }

  public URI url() {
    return URI.create(api.url());
  }

  /** The token the shared API asks for. */
  public String token() {
    return TOKEN;
  }

  /** The worker JVM's pid. */
  public long workerPid() {
    return cluster.nodes().get(0).pid();
  }

  @Override
  public void close() {
    try {
      api.close();
    } finally {
      cluster.close();
    }
  }

  /**
   * Hands the shared cluster to {@code @BeforeAll} methods; it lives in the root store, so all
   * classes share it.
   */
  public static final class Extension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
        ExtensionContext.Namespace.create(SharedCluster.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == SharedCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return context
          .getRoot()
          .getStore(NAMESPACE)
          .getOrComputeIfAbsent(SharedCluster.class, key -> start(), SharedCluster.class);
    }
  }
}
