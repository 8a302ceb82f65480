package org.clusterpool.coordinator.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.clusterpool.node.tls.CertificateFiles;
import org.clusterpool.node.tls.PrivateFiles;

/**
 * The HTTP API's key and certificate, read from {@code tls.key} and {@code tls.crt} of a directory
 * and checked before the API listens: a key that other users may read, one that is encrypted or
 * does not match the certificate, and a certificate out of its dates are each refused in one line,
 * rather than failing every client's handshake later. The key may be RSA, EC or Ed25519, in PKCS#8
 * or in its own PEM form; {@code tls.crt} may hold the chain after the certificate.
 */
final class HttpsIdentity {
  private final Path dir;
  private final X509Certificate certificate;
  private final SSLContext context;
  private final FileTime keyTime;
  private final FileTime certificateTime;

  private HttpsIdentity(
      Path dir,
      X509Certificate certificate,
      SSLContext context,
      FileTime keyTime,
      FileTime certificateTime) {
    this.dir = dir;
    this.certificate = certificate;
    this.context = context;
    this.keyTime = keyTime;
    this.certificateTime = certificateTime;
  }

  /**
   * Reads and checks the files of {@code dir}; an {@link IllegalArgumentException} says why not.
   */
  static HttpsIdentity read(Path dir) {
    Path keyFile = dir.resolve(CertificateFiles.KEY);
    Path certificateFile = dir.resolve(CertificateFiles.CERTIFICATE);
    try {
      FileTime keyTime = Files.getLastModifiedTime(keyFile);
      FileTime certificateTime = Files.getLastModifiedTime(certificateFile);
      if (PrivateFiles.openToOthers(keyFile)) {
        throw new IllegalArgumentException(
            "the HTTP API's private key "
                + keyFile
                + " may be read by other users: refused (chmod o-rwx it; a Kubernetes Secret:"
                + " defaultMode 0440 with the pod's fsGroup)");
      }
      PrivateKey key = privateKey(keyFile);
      List<X509Certificate> chain = certificates(certificateFile);
      X509Certificate own = chain.get(0);
      try {
        own.checkValidity();
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException(
            "the HTTP API's certificate "
                + certificateFile
                + " is not valid now: it is valid from "
                + own.getNotBefore().toInstant()
                + " to "
                + own.getNotAfter().toInstant());
      }
      if (!matches(key, own.getPublicKey())) {
        throw new IllegalArgumentException(
            "the HTTP API's key "
                + keyFile
                + " is not the key of its certificate "
                + certificateFile
                + ": give the two files of one certificate");
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = new char[0];
      store.setKeyEntry("api", key, password, chain.toArray(Certificate[]::new));
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, new SecureRandom());
      return new HttpsIdentity(dir, own, context, keyTime, certificateTime);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "the HTTP API has no certificate to serve HTTPS with: no file "
              + e.getFile()
              + " (--http-tls-dir, clusterpool.http.tls-dir: a directory with tls.key and tls.crt"
              + " in PEM, as 'clusterpool certificates DIR' makes them)");
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read the HTTP API's key and certificate in " + dir + ": " + e.getMessage());
    }
  }

  /** Whether the files were written since they were read: a renewed certificate. */
  boolean changed() {
    try {
      return !Files.getLastModifiedTime(dir.resolve(CertificateFiles.KEY)).equals(keyTime)
          || !Files.getLastModifiedTime(dir.resolve(CertificateFiles.CERTIFICATE))
              .equals(certificateTime);
    } catch (IOException e) {
      return true; // replaced under us (a Secret's files are links swapped at once): read again
    }
  }

  SSLContext context() {
    return context;
  }

  Path dir() {
    return dir;
  }

  /** {@code CN=clusterpool, until 2027-12-05}: for the log. */
  String describe() {
    return certificate.getSubjectX500Principal().getName()
        + ", until "
        + DateTimeFormatter.ISO_LOCAL_DATE.format(
            certificate.getNotAfter().toInstant().atZone(ZoneOffset.UTC));
  }

  private static PrivateKey privateKey(Path file) throws IOException {
    Object read;
    try (PEMParser parser =
        new PEMParser(new StringReader(Files.readString(file, StandardCharsets.US_ASCII)))) {
      read = parser.readObject();
    } catch (java.nio.charset.CharacterCodingException e) {
      read = null;
    }
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    if (read instanceof PEMKeyPair pair) return converter.getKeyPair(pair).getPrivate();
    if (read instanceof PrivateKeyInfo info) return converter.getPrivateKey(info);
    if (read instanceof PEMEncryptedKeyPair || read instanceof PKCS8EncryptedPrivateKeyInfo) {
      throw new IllegalArgumentException(
          "the HTTP API's key "
              + file
              + " is encrypted: the API starts unattended, so it takes an unencrypted key,"
              + " readable by its user only (openssl pkey -in KEY -out tls.key)");
    }
    throw new IllegalArgumentException(
        "the HTTP API's key " + file + " holds no private key in PEM (BEGIN PRIVATE KEY)");
  }

  private static List<X509Certificate> certificates(Path file)
      throws IOException, GeneralSecurityException {
    List<X509Certificate> chain = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      for (Certificate one : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        if (one instanceof X509Certificate x509) chain.add(x509);
      }
    } catch (java.security.cert.CertificateException e) {
      chain.clear();
    }
    if (chain.isEmpty()) {
      throw new IllegalArgumentException(
          "the HTTP API's certificate "
              + file
              + " holds no certificate in PEM (BEGIN CERTIFICATE)");
    }
    return chain;
  }

  /** The key signs what the certificate's public key verifies. */
  private static boolean matches(PrivateKey key, PublicKey certified)
      throws GeneralSecurityException {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null || !key.getAlgorithm().equals(certified.getAlgorithm()))
      return algorithm == null; // a key type this check does not know: the handshake tells
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(challenge);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(certified);
    verifier.update(challenge);
    return verifier.verify(signature);
  }
}
