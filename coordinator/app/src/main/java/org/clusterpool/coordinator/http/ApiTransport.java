package org.clusterpool.coordinator.http;

import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the HTTP API speaks, decided when it starts: HTTPS with the key and certificate of {@code
 * clusterpool.http.tls-dir}, on any interface; plain HTTP on loopback, which nobody else reaches;
 * plain HTTP beyond loopback only as an explicit choice ({@code insecure-plain-http}), since the
 * token would cross the network in clear text. Anything else is refused in one line before the API
 * listens.
 *
 * <p>The files are read again when they change, at the next connection: a renewed certificate (a
 * Kubernetes Secret that cert-manager rewrites) serves new connections without a restart, and a
 * renewal caught half-written keeps the certificate that was read last until it is whole.
 */
public final class ApiTransport {
  private static final Logger log = LoggerFactory.getLogger(ApiTransport.class);
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  /** Files that were not fit are read again this long after, not at every connection. */
  private static final long RETRY_NANOS = 10_000_000_000L;

  private final Optional<Path> dir;
  private final String description;
  private volatile HttpsIdentity identity;
  private volatile long retryAt = System.nanoTime();

  private ApiTransport(Optional<HttpsIdentity> identity, String description) {
    this.dir = identity.map(HttpsIdentity::dir);
    this.identity = identity.orElse(null);
    this.description = description;
  }

  /**
   * The transport of an API on {@code iface}; an {@link IllegalArgumentException} with one line
   * when it is refused or its files are not fit.
   */
  public static ApiTransport resolve(HttpsSettings settings, String iface) {
    if (!settings.dir().isBlank()) {
      HttpsIdentity identity = HttpsIdentity.read(Path.of(settings.dir()));
      return new ApiTransport(
          Optional.of(identity),
          "HTTPS with the certificate of " + settings.dir() + " (" + identity.describe() + ")");
    }
    if (ApiAccess.loopback(iface))
      return new ApiTransport(Optional.empty(), "plain HTTP, on loopback only");
    if (settings.insecurePlainHttp()) {
      return new ApiTransport(
          Optional.empty(),
          "plain HTTP beyond loopback (--insecure-plain-http,"
              + " clusterpool.http.insecure-plain-http): the token crosses the network in clear"
              + " text unless a proxy in front ends TLS");
    }
    throw new IllegalArgumentException(
        "the HTTP API would listen on "
            + iface
            + ", beyond this machine, in plain HTTP: its token would cross the network in clear"
            + " text; give it a certificate to serve HTTPS with --http-tls-dir DIR (tls.key and"
            + " tls.crt: 'clusterpool certificates DIR --host NAME' makes them), keep it on"
            + " 127.0.0.1 (reach it through ssh -L or kubectl port-forward), or give"
            + " --insecure-plain-http when a proxy in front of it ends TLS");
  }

  public boolean https() {
    return dir.isPresent();
  }

  /** Whether it speaks plain HTTP where others may listen: warned about at every start. */
  public boolean insecure(String iface) {
    return !https() && !ApiAccess.loopback(iface);
  }

  /** {@code https} or {@code http}. */
  String scheme() {
    return https() ? "https" : "http";
  }

  public String description() {
    return description;
  }

  /** What the server binds with, when it speaks HTTPS: a new engine of the files' last state. */
  Optional<HttpsConnectionContext> connectionContext() {
    if (!https()) return Optional.empty();
    return Optional.of(ConnectionContext.httpsServer(this::engine));
  }

  private SSLEngine engine() {
    SSLEngine engine = current().context().createSSLEngine();
    engine.setUseClientMode(false);
    engine.setEnabledProtocols(PROTOCOLS);
    return engine;
  }

  private HttpsIdentity current() {
    HttpsIdentity read = identity;
    if (System.nanoTime() - retryAt < 0 || !read.changed()) return read;
    synchronized (this) {
      if (identity != read || System.nanoTime() - retryAt < 0) return identity;
      try {
        identity = HttpsIdentity.read(dir.orElseThrow());
        log.info("the HTTP API serves HTTPS with a new certificate: {}", identity.describe());
      } catch (IllegalArgumentException e) {
        // a renewal being written: a connection a little later tries again
        retryAt = System.nanoTime() + RETRY_NANOS;
        log.warn(
            "the HTTP API keeps its certificate, as the new files are not fit: {}", e.getMessage());
      }
      return identity;
    }
  }
}
