package org.clusterpool.node.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * The PEM files of a cluster whose members are started by hand ({@code clusterpool certificates
 * DIR}): a CA ({@code ca.crt}, {@code ca.key}) and one key and certificate it signs ({@code
 * tls.key}, {@code tls.crt}), which every member of the cluster may share ({@code --tls-dir}) and
 * the coordinator's HTTP API serves HTTPS with ({@code --http-tls-dir}). What a Kubernetes Secret
 * of type {@code kubernetes.io/tls} holds, and what README's openssl lines make.
 *
 * <p>The keys are RSA, since Pekko 1.2's {@code RotatingKeysSSLEngineProvider} reads no other; the
 * certificate names {@code clusterpool} (a name all the members share, which that provider checks)
 * and the hosts given, as DNS names or IP addresses, since an HTTPS client checks that the
 * certificate names the host it reached.
 */
public final class CertificateFiles {
  public static final String KEY = "tls.key";
  public static final String CERTIFICATE = "tls.crt";
  public static final String CA_CERTIFICATE = "ca.crt";
  public static final String CA_KEY = "ca.key";

  /** The name every member's certificate shares, and the Service's on Kubernetes. */
  public static final String SHARED_NAME = "clusterpool";

  private static final Duration CA_VALIDITY = Duration.ofDays(3650);
  private static final String SIGNATURE = "SHA256withRSA";
  private static final int RSA_BITS = 2048;
  private static final Pattern DNS_NAME =
      Pattern.compile(
          "(?=.{1,253}$)(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
  private static final Pattern IP_LITERAL =
      Pattern.compile("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private CertificateFiles() {}

  /**
   * Writes the four files in {@code directory} (made private: mode 0700, keys 0600): a new CA, and
   * a certificate it signs for {@code hosts} (and {@code clusterpool}), valid {@code validity}.
   * Refuses, in one line, a directory that holds a key already, a host that is neither a DNS name
   * nor an IP address, and a validity under a day.
   *
   * @return the names the certificate holds
   */
  public static List<String> make(Path directory, List<String> hosts, Duration validity) {
    if (validity.compareTo(Duration.ofDays(1)) < 0)
      throw new IllegalArgumentException(
          "a certificate is valid a day at least, got " + validity.toDays() + " days");
    Set<String> names = new LinkedHashSet<>();
    names.add(SHARED_NAME);
    for (String host : hosts) names.add(checkedHost(host));
    for (String file : List.of(KEY, CA_KEY)) {
      if (Files.exists(directory.resolve(file)))
        throw new IllegalArgumentException(
            directory.resolve(file)
                + " exists already: it is not written over (give another directory, or remove"
                + " the old files to make new ones)");
    }
    SecureRandom random = new SecureRandom();
    KeyPair caKeys = rsa(random);
    KeyPair keys = rsa(random);
    X500Name caName = new X500Name("CN=clusterpool CA " + Long.toHexString(random.nextLong()));
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509Certificate ca =
          CertificateSigning.sign(
              CertificateSigning.builder(caName, caName, caKeys, CA_VALIDITY, random)
                  .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                  .addExtension(
                      Extension.keyUsage,
                      true,
                      new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                  .addExtension(
                      Extension.subjectKeyIdentifier,
                      false,
                      extensions.createSubjectKeyIdentifier(caKeys.getPublic())),
              caKeys.getPrivate(),
              SIGNATURE);
      X509Certificate issued =
          CertificateSigning.sign(
              CertificateSigning.builder(
                      caName, new X500Name("CN=" + SHARED_NAME), keys, validity, random)
                  .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                  .addExtension(
                      Extension.keyUsage,
                      true,
                      new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                  // a member is a TLS server to those that connect to it and a client of those it
                  // connects to; the HTTP API is a server
                  .addExtension(
                      Extension.extendedKeyUsage,
                      false,
                      new ExtendedKeyUsage(
                          new KeyPurposeId[] {
                            KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                          }))
                  .addExtension(Extension.subjectAlternativeName, false, alternativeNames(names))
                  .addExtension(
                      Extension.subjectKeyIdentifier,
                      false,
                      extensions.createSubjectKeyIdentifier(keys.getPublic()))
                  .addExtension(
                      Extension.authorityKeyIdentifier,
                      false,
                      extensions.createAuthorityKeyIdentifier(ca)),
              caKeys.getPrivate(),
              SIGNATURE);
      PrivateFiles.directory(directory);
      PrivateFiles.write(directory.resolve(CA_CERTIFICATE), CertificateSigning.pem(ca));
      PrivateFiles.write(
          directory.resolve(CA_KEY),
          CertificateSigning.pem(new JcaPKCS8Generator(caKeys.getPrivate(), null).generate()));
      PrivateFiles.write(
          directory.resolve(KEY),
          CertificateSigning.pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate()));
      PrivateFiles.write(directory.resolve(CERTIFICATE), CertificateSigning.pem(issued));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot make the certificates in " + directory + ": " + e.getMessage(), e);
    }
    return List.copyOf(names);
  }

  private static String checkedHost(String host) {
    String name = host.strip();
    if (IP_LITERAL.matcher(name).matches()) {
      try {
        InetAddress.getByName(name); // a literal: never a lookup
        return name;
      } catch (IOException e) {
        // said below
      }
    } else if (DNS_NAME.matcher(name).matches()) {
      return name;
    }
    String shown = name.replaceAll("\\p{Cntrl}", "?");
    throw new IllegalArgumentException(
        "--host takes a DNS name (like coordinator.example or clusterpool) or an IP address (like"
            + " 10.0.0.5), got '"
            + (shown.length() > 60 ? shown.substring(0, 60) + "..." : shown)
            + "'");
  }

  private static GeneralNames alternativeNames(Set<String> names) {
    List<GeneralName> all = new ArrayList<>();
    for (String name : names) {
      all.add(
          new GeneralName(
              IP_LITERAL.matcher(name).matches() ? GeneralName.iPAddress : GeneralName.dNSName,
              name));
    }
    return new GeneralNames(all.toArray(GeneralName[]::new));
  }

  private static KeyPair rsa(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(RSA_BITS, random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot make RSA keys: " + e.getMessage(), e);
    }
  }
}
