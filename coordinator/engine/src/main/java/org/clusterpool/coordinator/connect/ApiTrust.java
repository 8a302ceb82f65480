package org.clusterpool.coordinator.connect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Whom a client trusts to be the HTTP API it reaches over HTTPS: the CA certificates of a PEM file
 * ({@code --ca-file}, {@code CLUSTERPOOL_CA_FILE}, {@code ClusterPool.builder().caFile(...)}), such
 * as the {@code ca.crt} of {@code clusterpool certificates} or of a Kubernetes Secret; without one,
 * the JDK's own authorities (an API behind a proxy with a public certificate). Either way the
 * server's certificate must name the host of the URL.
 */
public final class ApiTrust {
  public static final String VARIABLE = "CLUSTERPOOL_CA_FILE";

  private final Optional<Path> file;
  private final SSLContext context;

  private ApiTrust(Optional<Path> file, SSLContext context) {
    this.file = file;
    this.context = context;
  }

  /** The JDK's authorities. */
  public static ApiTrust system() {
    try {
      return new ApiTrust(Optional.empty(), SSLContext.getDefault());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no TLS: " + e.getMessage(), e);
    }
  }

  /** {@code CLUSTERPOOL_CA_FILE} when set, else the JDK's authorities. */
  public static ApiTrust fromEnvironment() {
    return fromEnvironment(System::getenv);
  }

  /**
   * For {@code url}: over HTTPS, {@link #fromEnvironment()}; over plain HTTP the JDK's, unused (a
   * {@code CLUSTERPOOL_CA_FILE} that is not fit then stops nothing).
   */
  public static ApiTrust forUrl(java.net.URI url) {
    return "https".equalsIgnoreCase(url.getScheme()) ? fromEnvironment() : system();
  }

  static ApiTrust fromEnvironment(Function<String, String> environment) {
    String file = environment.apply(VARIABLE);
    if (file == null || file.isBlank()) return system();
    return caFile(Path.of(file.strip()), VARIABLE);
  }

  /**
   * The authorities of {@code file} (PEM, one certificate or more) and no other; an {@link
   * IllegalArgumentException} with one line when it holds none. {@code given} names where it came
   * from ({@code --ca-file}).
   */
  public static ApiTrust caFile(Path file, String given) {
    List<X509Certificate> authorities = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      for (Certificate one : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        if (one instanceof X509Certificate x509) authorities.add(x509);
      }
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(given + ": no file " + file);
    } catch (CertificateException e) {
      authorities.clear();
    } catch (IOException e) {
      throw new IllegalArgumentException(given + ": cannot read " + file + ": " + e.getMessage());
    }
    if (authorities.isEmpty()) {
      throw new IllegalArgumentException(
          given
              + ": "
              + file
              + " holds no certificate in PEM (BEGIN CERTIFICATE): give the certificate of the CA"
              + " that signed the API's (ca.crt)");
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < authorities.size(); i++)
        store.setCertificateEntry("ca-" + i, authorities.get(i));
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return new ApiTrust(Optional.of(file), context);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot trust " + file + ": " + e.getMessage(), e);
    }
  }

  /** The TLS context an HTTPS client of the API is built with. */
  public SSLContext context() {
    return context;
  }

  /** What a client that does not trust a server's certificate is told to do. */
  String advice() {
    return file.map(
            f ->
                "it is not signed by the CA of "
                    + f
                    + ": give the CA that signed the API's certificate (--ca-file FILE, "
                    + VARIABLE
                    + ")")
        .orElse(
            "no authority this JVM trusts signed it: give the CA that did (its ca.crt) with"
                + " --ca-file FILE or "
                + VARIABLE);
  }
}
