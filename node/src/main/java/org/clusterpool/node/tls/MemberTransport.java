package org.clusterpool.node.tls;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one member is given to speak to the others, as the Pekko settings that say it: the system
 * properties of a JVM that the launcher starts, or settings laid over the config of a member
 * started in this JVM. Whoever starts the member gives it these; its certificate is its own, never
 * inherited from the JVM that started it.
 *
 * @param settings {@code pekko.remote.artery.*} keys and their values
 */
public record MemberTransport(Transport transport, Map<String, String> settings) {
  /**
   * Reads a key store and a trust store, made by a {@link ClusterCa} (any key type): a local
   * cluster's members.
   */
  public static final String KEY_STORES =
      "org.apache.pekko.remote.artery.tcp.ConfigSSLEngineProvider";

  /**
   * Reads {@code tls.key}, {@code tls.crt} and {@code ca.crt} (PEM; in Pekko 1.2 an RSA key) and
   * reads them again as they rotate: a Kubernetes Secret, or the files of {@code --tls-dir}.
   */
  public static final String PEM_FILES =
      "org.apache.pekko.remote.artery.tcp.ssl.RotatingKeysSSLEngineProvider";

  static final String SSL = "pekko.remote.artery.ssl.";
  static final String PROVIDER = SSL + "ssl-engine-provider";
  static final String KEY_STORE = SSL + "config-ssl-engine.key-store";
  static final String TRUST_STORE = SSL + "config-ssl-engine.trust-store";
  static final String ROTATING = SSL + "rotating-keys-engine.";

  public MemberTransport {
    settings = Map.copyOf(settings);
  }

  /** Plain TCP: an explicit choice, warned about when the member starts. */
  public static MemberTransport plainTcp() {
    return new MemberTransport(Transport.TCP, Map.of(Transport.SETTING, Transport.TCP.artery()));
  }

  /** Mutual TLS with this member's key store and the trust store of its cluster's CA. */
  public static MemberTransport keyStores(Path keyStore, Path trustStore) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(Transport.SETTING, Transport.TLS.artery());
    settings.put(PROVIDER, KEY_STORES);
    settings.put(KEY_STORE, keyStore.toAbsolutePath().toString());
    settings.put(TRUST_STORE, trustStore.toAbsolutePath().toString());
    return new MemberTransport(Transport.TLS, settings);
  }

  /**
   * Mutual TLS with the PEM files of a directory, as a Kubernetes Secret of type {@code
   * kubernetes.io/tls} holds them: {@code tls.key}, {@code tls.crt} and {@code ca.crt}
   * (cert-manager adds the CA's).
   */
  public static MemberTransport pemDirectory(Path directory) {
    Path dir = directory.toAbsolutePath();
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(Transport.SETTING, Transport.TLS.artery());
    settings.put(PROVIDER, PEM_FILES);
    // each file by name: a config resolved already does not substitute a new secret-mount-point
    // into them
    settings.put(ROTATING + "secret-mount-point", dir.toString());
    settings.put(ROTATING + "key-file", dir.resolve("tls.key").toString());
    settings.put(ROTATING + "cert-file", dir.resolve("tls.crt").toString());
    settings.put(ROTATING + "ca-cert-file", dir.resolve("ca.crt").toString());
    return new MemberTransport(Transport.TLS, settings);
  }

  /** {@code config} with these settings over it. */
  public Config applyTo(Config config) {
    Config out = config;
    for (Map.Entry<String, String> setting : settings.entrySet()) {
      out = out.withValue(setting.getKey(), ConfigValueFactory.fromAnyRef(setting.getValue()));
    }
    return out;
  }
}
