package org.clusterpool.node.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * What a Kubernetes Secret of type {@code kubernetes.io/tls} holds, as the README's openssl recipe
 * (or cert-manager) makes it: a CA, and one RSA key with its certificate ({@code CN=clusterpool},
 * signed by the CA) that every pod mounts. For tests of the PEM files' provider.
 */
public final class PemSecret {
  private PemSecret() {}

  /**
   * {@code tls.key} (PKCS#8, mode 0600), {@code tls.crt} and {@code ca.crt} in {@code dir}; returns
   * {@code dir}.
   */
  public static Path write(Path dir) throws Exception {
    return write(dir, "RSA");
  }

  /**
   * The same with a key of {@code algorithm} ({@code EC} makes one that Pekko 1.2's provider cannot
   * read).
   */
  public static Path write(Path dir, String algorithm) throws Exception {
    SecureRandom random = new SecureRandom();
    KeyPair ca = keys("RSA", random);
    X500Name caName = new X500Name("CN=clusterpool test CA");
    X509Certificate caCert =
        sign(
            new JcaX509v3CertificateBuilder(
                    caName, BigInteger.ONE, from(), until(), caName, ca.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true)),
            ca.getPrivate(),
            "SHA256withRSA");
    KeyPair member = keys(algorithm, random);
    X509Certificate cert =
        sign(
            new JcaX509v3CertificateBuilder(
                    caName,
                    BigInteger.TWO,
                    from(),
                    until(),
                    new X500Name("CN=clusterpool"),
                    member.getPublic())
                .addExtension(
                    Extension.subjectAlternativeName,
                    false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, "clusterpool"))),
            ca.getPrivate(),
            "SHA256withRSA");
    Files.createDirectories(dir);
    Files.write(
        dir.resolve("tls.key"), pem(new JcaPKCS8Generator(member.getPrivate(), null).generate()));
    Files.setPosixFilePermissions(
        dir.resolve("tls.key"), PosixFilePermissions.fromString("rw-------"));
    Files.write(dir.resolve("tls.crt"), pem(cert));
    Files.write(dir.resolve("ca.crt"), pem(caCert));
    return dir;
  }

  private static KeyPair keys(String algorithm, SecureRandom random) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
    generator.initialize(algorithm.equals("RSA") ? 2048 : 256, random);
    return generator.generateKeyPair();
  }

  private static Date from() {
    return Date.from(Instant.now().minus(Duration.ofHours(1)));
  }

  private static Date until() {
    return Date.from(Instant.now().plus(Duration.ofDays(2)));
  }

  private static X509Certificate sign(
      X509v3CertificateBuilder builder, PrivateKey key, String algorithm) throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(key)));
  }

  private static byte[] pem(Object object) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    }
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
