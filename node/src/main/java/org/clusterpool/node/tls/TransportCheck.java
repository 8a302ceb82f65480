package org.clusterpool.node.tls;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a member says about its transport when it starts, and what it refuses to start with. Plain
 * TCP is logged as a warning at every start: anyone who reaches the port can join. Mutual TLS is
 * checked before the actor system starts, since Pekko reads the files only at the first connection
 * and would then fail each one in the log: the certificate must be there, be signed by the CA the
 * member trusts, be valid now, and its key must not be open to other users.
 */
public final class TransportCheck {
  private TransportCheck() {}

  private static final Logger log = LoggerFactory.getLogger(TransportCheck.class);
  private static final String NO_CERTIFICATE =
      "members speak mutual TLS (pekko.remote.artery.transport = tls-tcp), and this"
          + " member has no certificate of the cluster's CA";
  private static final String HOW =
      ": a cluster that clusterpool starts (cluster up, --nodes) makes one for each member; give"
          + " one with --tls-dir DIR (tls.key, tls.crt and ca.crt), or run every member of the"
          + " cluster with --transport tcp";

  /**
   * Checks the transport of a member about to start with {@code config}, and logs what it is; one
   * line, in an {@link IllegalArgumentException}, says what is wrong.
   */
  public static Transport atStart(Config config) {
    Transport transport = Transport.fromConfig(config);
    String address =
        config.getString("pekko.remote.artery.canonical.hostname")
            + ":"
            + config.getInt("pekko.remote.artery.canonical.port");
    if (transport == Transport.TCP) {
      log.warn(
          "members speak plain TCP (pekko.remote.artery.transport = tcp, --transport tcp), an"
              + " explicit choice: whoever reaches this member's port ({}) can join the cluster and"
              + " send its members messages; for speed comparisons only",
          address);
      return transport;
    }
    String provider = config.getString(MemberTransport.PROVIDER);
    String identity =
        switch (provider) {
          case MemberTransport.KEY_STORES ->
              keyStores(config.getConfig("pekko.remote.artery.ssl.config-ssl-engine"));
          case MemberTransport.PEM_FILES ->
              pemFiles(config.getConfig("pekko.remote.artery.ssl.rotating-keys-engine"));
          default -> "by " + provider + ", whose files are not checked here";
        };
    boolean mutual =
        !provider.equals(MemberTransport.KEY_STORES)
            || config.getBoolean(
                "pekko.remote.artery.ssl.config-ssl-engine.require-mutual-authentication");
    if (!mutual) {
      log.warn(
          "members speak TLS without mutual authentication (require-mutual-authentication = off),"
              + " an explicit choice: a JVM without a certificate of the cluster's CA can connect"
              + " to this member ({})",
          address);
    }
    log.info("members speak mutual TLS: this member ({}) is {}", address, identity);
    return transport;
  }

  /**
   * ConfigSSLEngineProvider: the member's key store and the trust store, as a {@link ClusterCa}
   * makes them.
   */
  private static String keyStores(Config ssl) {
    Path keyStore =
        file(ssl.getString("key-store"), "pekko.remote.artery.ssl.config-ssl-engine.key-store");
    Path trustStore =
        file(ssl.getString("trust-store"), "pekko.remote.artery.ssl.config-ssl-engine.trust-store");
    refuseIfOpen(keyStore);
    try {
      KeyStore keys = load(keyStore, ssl.getString("key-store-password"));
      X509Certificate own = null;
      for (String alias : Collections.list(keys.aliases())) {
        if (keys.isKeyEntry(alias)
            && keys.getCertificate(alias) instanceof X509Certificate certificate) {
          keys.getKey(
              alias,
              ssl.getString("key-password")
                  .toCharArray()); // the password opens the key, or this throws
          own = certificate;
          break;
        }
      }
      if (own == null)
        throw new IllegalArgumentException(
            "the key store " + keyStore + " holds no key with its certificate");
      KeyStore trust = load(trustStore, ssl.getString("trust-store-password"));
      List<X509Certificate> authorities = new ArrayList<>();
      for (String alias : Collections.list(trust.aliases())) {
        if (trust.getCertificate(alias) instanceof X509Certificate certificate)
          authorities.add(certificate);
      }
      return verified(own, authorities, keyStore.toString());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read this member's TLS key store "
              + keyStore
              + " or trust store "
              + trustStore
              + ": "
              + e.getMessage());
    }
  }

  /**
   * RotatingKeysSSLEngineProvider: {@code tls.key}, {@code tls.crt} and {@code ca.crt}, as a
   * Kubernetes Secret holds them. Pekko 1.2 reads an RSA key only, as PKCS#1 ({@code RSA PRIVATE
   * KEY}) or PKCS#8 ({@code PRIVATE KEY}).
   */
  private static String pemFiles(Config ssl) {
    Path keyFile =
        file(
            ssl.getString("key-file"),
            "pekko.remote.artery.ssl.rotating-keys-engine.key-file (--tls-dir)");
    Path certFile =
        file(
            ssl.getString("cert-file"),
            "pekko.remote.artery.ssl.rotating-keys-engine.cert-file (--tls-dir)");
    Path caFile =
        file(
            ssl.getString("ca-cert-file"),
            "pekko.remote.artery.ssl.rotating-keys-engine.ca-cert-file (--tls-dir)");
    refuseIfOpen(keyFile);
    try {
      String key = Files.readString(keyFile);
      boolean pkcs1 = key.contains("-----BEGIN RSA PRIVATE KEY-----");
      boolean pkcs8 = key.contains("-----BEGIN PRIVATE KEY-----");
      if (!pkcs1 && !pkcs8) {
        throw new IllegalArgumentException(
            keyFile
                + " is not an unencrypted RSA key in PEM (BEGIN RSA PRIVATE KEY or BEGIN PRIVATE"
                + " KEY): Pekko's RotatingKeysSSLEngineProvider reads no other (an EC key or an"
                + " encrypted one: make an RSA one, as README says)");
      }
      try (PEMParser parser = new PEMParser(new StringReader(key))) {
        Object read = parser.readObject();
        boolean rsa =
            read instanceof PEMKeyPair pair
                ? pair.getPrivateKeyInfo()
                    .getPrivateKeyAlgorithm()
                    .getAlgorithm()
                    .equals(PKCSObjectIdentifiers.rsaEncryption)
                : read instanceof PrivateKeyInfo info
                    && info.getPrivateKeyAlgorithm()
                        .getAlgorithm()
                        .equals(PKCSObjectIdentifiers.rsaEncryption);
        if (!rsa) {
          throw new IllegalArgumentException(
              keyFile
                  + " holds no RSA key: Pekko's RotatingKeysSSLEngineProvider reads RSA keys"
                  + " only (make an RSA one, as README says)");
        }
      }
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      X509Certificate own;
      X509Certificate authority;
      try (InputStream in = Files.newInputStream(certFile)) {
        own = (X509Certificate) factory.generateCertificate(in);
      }
      try (InputStream in = Files.newInputStream(caFile)) {
        authority = (X509Certificate) factory.generateCertificate(in);
      }
      return verified(own, List.of(authority), certFile.toString());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read this member's TLS files "
              + keyFile
              + ", "
              + certFile
              + ", "
              + caFile
              + ": "
              + e.getMessage());
    }
  }

  /**
   * The member's certificate is valid now and signed by one of the authorities it trusts, or this
   * throws.
   */
  private static String verified(
      X509Certificate own, List<X509Certificate> authorities, String where) {
    try {
      own.checkValidity();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "this member's certificate in "
              + where
              + " is not valid now ("
              + e.getMessage()
              + "): it is valid from "
              + own.getNotBefore().toInstant()
              + " to "
              + own.getNotAfter().toInstant());
    }
    for (X509Certificate authority : authorities) {
      try {
        own.verify(authority.getPublicKey());
        return own.getSubjectX500Principal().getName()
            + ", certified by "
            + authority.getSubjectX500Principal().getName()
            + " until "
            + DateTimeFormatter.ISO_LOCAL_DATE.format(
                own.getNotAfter().toInstant().atZone(ZoneOffset.UTC))
            + "; it admits only members certified by that CA";
      } catch (GeneralSecurityException e) {
        // not this one
      }
    }
    throw new IllegalArgumentException(
        "this member's certificate in "
            + where
            + " ("
            + own.getSubjectX500Principal().getName()
            + ") is not signed by the CA it trusts: the cluster's members would refuse it, and it"
            + " them");
  }

  private static Path file(String value, String setting) {
    if (value == null || value.isBlank())
      throw new IllegalArgumentException(NO_CERTIFICATE + " (" + setting + " is empty)" + HOW);
    Path path = Path.of(value);
    if (!Files.isRegularFile(path))
      throw new IllegalArgumentException(
          NO_CERTIFICATE + " (no file " + path + ", " + setting + ")" + HOW);
    if (!Files.isReadable(path))
      throw new IllegalArgumentException("this member cannot read " + path + " (" + setting + ")");
    return path;
  }

  private static void refuseIfOpen(Path keyFile) {
    try {
      if (PrivateFiles.openToOthers(keyFile)) {
        throw new IllegalArgumentException(
            "this member's private key "
                + keyFile
                + " may be read by other users: refused (chmod o-rwx it;"
                + " a Kubernetes Secret: defaultMode 0440 with the pod's fsGroup)");
      }
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(NO_CERTIFICATE + " (no file " + keyFile + ")" + HOW);
    } catch (IOException | UnsupportedOperationException e) {
      throw new IllegalArgumentException(
          "cannot read the permissions of " + keyFile + ": " + e.getMessage());
    }
  }

  private static KeyStore load(Path file, String password)
      throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, password.toCharArray());
    }
    return store;
  }
}
