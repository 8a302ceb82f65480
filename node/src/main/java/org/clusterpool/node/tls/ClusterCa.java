package org.clusterpool.node.tls;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * A cluster's own certificate authority, made when the cluster starts and thrown away with it: each
 * member gets a key and a certificate of its own, signed by it, and trusts it alone, so that a JVM
 * without a certificate of this CA can neither join the cluster nor send its members a message.
 * Keys are EC P-256, made here in milliseconds; certificates are built by BouncyCastle and signed
 * by the JDK.
 *
 * <p>Everything lives in one private directory (mode 0700, files 0600), and nowhere else: {@code
 * ca.p12} (the trust store: the CA's certificate), {@code ca.crt} (the same, PEM, for humans and
 * openssl), {@code members/NAME.p12} (a member's key and certificate). The CA's own key stays in
 * this JVM's memory, unless the CA is made to be {@linkplain #createKept kept}: then {@code ca.key}
 * is in the directory too, for members that other programs of the same user start later ({@code
 * clusterpool node} beside {@code cluster up}).
 *
 * <p>The certificates are valid for ten years: the CA's key lives as long as its cluster and is
 * deleted with it, so a shorter validity would only stop a healthy cluster one day, and protect
 * nothing.
 */
public final class ClusterCa {
  public static final String TRUST_STORE = "ca.p12";
  public static final String CA_CERTIFICATE = "ca.crt";
  public static final String CA_KEY = "ca.key";
  public static final String MEMBERS = "members";

  /** The password of the stores: the setting every member reads them with. */
  public static final String STORE_PASSWORD =
      "pekko.remote.artery.ssl.config-ssl-engine.key-store-password";

  private static final Duration VALIDITY = Duration.ofDays(3650);

  private static final String SIGNATURE = "SHA256withECDSA";
  private static final Pattern MEMBER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final Path directory;
  private final KeyPair keys;
  private final X509Certificate certificate;
  private final char[] password;
  private final SecureRandom random;

  private ClusterCa(
      Path directory,
      KeyPair keys,
      X509Certificate certificate,
      char[] password,
      SecureRandom random) {
    this.directory = directory;
    this.keys = keys;
    this.certificate = certificate;
    this.password = password;
    this.random = random;
  }

  /**
   * A new CA whose key stays in this JVM: its trust store and its members' key stores go in {@code
   * directory}.
   */
  public static ClusterCa create(Path directory, Config config) {
    return make(directory, config, false);
  }

  /**
   * A new CA whose key is kept in {@code directory} too ({@code ca.key}, mode 0600), for {@link
   * #open}.
   */
  public static ClusterCa createKept(Path directory, Config config) {
    return make(directory, config, true);
  }

  private static ClusterCa make(Path directory, Config config, boolean keepKey) {
    SecureRandom random = new SecureRandom();
    PrivateFiles.directory(directory);
    PrivateFiles.directory(directory.resolve(MEMBERS));
    KeyPair keys = newKeyPair(random);
    String id = HexFormat.of().formatHex(random.generateSeed(4));
    X500Name name = new X500Name("CN=clusterpool cluster CA " + id);
    X509Certificate certificate;
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          CertificateSigning.builder(name, name, keys, VALIDITY, random)
              .addExtension(
                  Extension.basicConstraints,
                  true,
                  new BasicConstraints(0)) // a CA that signs members only
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(keys.getPublic()));
      certificate = CertificateSigning.sign(builder, keys.getPrivate(), SIGNATURE);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot make the cluster's CA: " + e.getMessage(), e);
    }
    ClusterCa ca = new ClusterCa(directory, keys, certificate, password(config), random);
    ca.writeTrust();
    if (keepKey) {
      try {
        PrivateFiles.write(
            directory.resolve(CA_KEY),
            CertificateSigning.pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate()));
      } catch (IOException e) {
        throw new IllegalStateException("cannot write the cluster CA's key: " + e.getMessage(), e);
      }
    }
    return ca;
  }

  /**
   * The CA that {@link #createKept} left in {@code directory}; a clear error when there is none, or
   * when its key is open to other users.
   */
  public static ClusterCa open(Path directory, Config config) {
    Path keyFile = directory.resolve(CA_KEY);
    try {
      if (PrivateFiles.openToOthers(keyFile) || PrivateFiles.openToOthers(directory)) {
        throw new IllegalArgumentException(
            "the cluster's CA key "
                + keyFile
                + " may be read by other users: it is not used"
                + " (chmod 600 it and 700 its directory, or start the cluster again)");
      }
      X509Certificate certificate;
      try (java.io.InputStream in = Files.newInputStream(directory.resolve(CA_CERTIFICATE))) {
        certificate =
            (X509Certificate)
                java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
      }
      PrivateKey key;
      try (PEMParser parser = new PEMParser(new StringReader(Files.readString(keyFile)))) {
        Object read = parser.readObject();
        if (!(read instanceof PrivateKeyInfo info))
          throw new IOException("no private key in " + keyFile);
        key = new JcaPEMKeyConverter().getPrivateKey(info);
      }
      return new ClusterCa(
          directory,
          new KeyPair(certificate.getPublicKey(), key),
          certificate,
          password(config),
          new SecureRandom());
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "no cluster CA in " + directory + " (" + e.getMessage() + " is missing)");
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read the cluster's CA in " + directory + ": " + e.getMessage());
    }
  }

  /**
   * A key and a certificate for the member {@code name} ({@code worker-node-1}), in {@code
   * members/NAME.p12}: a member started again under the same name gets a new key, written over the
   * old one.
   */
  public synchronized MemberTransport issue(String name) {
    if (!MEMBER_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a member's name for its certificate is letters, digits, '.', '_' and '-', got '"
              + name
              + "'");
    }
    KeyPair member = newKeyPair(random);
    X509Certificate issued;
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          CertificateSigning.builder(
                  X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
                  new X500Name("CN=" + name),
                  member,
                  VALIDITY,
                  random)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              // every member is a TLS server to those that connect to it and a client of those it
              // connects to
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(
                      new KeyPurposeId[] {
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                      }))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(member.getPublic()))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  extensions.createAuthorityKeyIdentifier(certificate));
      issued = CertificateSigning.sign(builder, keys.getPrivate(), SIGNATURE);
      Path file = directory.resolve(MEMBERS).resolve(name + ".p12");
      PrivateFiles.write(
          file,
          Pkcs12Files.keyStore(
              "member", member.getPrivate(), List.of(issued, certificate), password));
      return MemberTransport.keyStores(file, directory.resolve(TRUST_STORE));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot make the certificate of " + name + ": " + e.getMessage(), e);
    }
  }

  public Path directory() {
    return directory;
  }

  /** The CA's certificate: what every member trusts. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** Removes the directory and every key in it: the cluster is gone. */
  public void delete() {
    PrivateFiles.deleteTree(directory);
  }

  private void writeTrust() {
    PrivateFiles.write(
        directory.resolve(TRUST_STORE),
        Pkcs12Files.trustStore("cluster-ca", certificate, password));
    PrivateFiles.write(directory.resolve(CA_CERTIFICATE), CertificateSigning.pem(certificate));
  }

  private static char[] password(Config config) {
    return config.getString(STORE_PASSWORD).toCharArray();
  }

  private static KeyPair newKeyPair(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot make EC keys: " + e.getMessage(), e);
    }
  }
}
