package org.clusterpool.node.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.operator.bc.BcDefaultDigestProvider;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilderProvider;
import org.clusterpool.node.config.LayeredConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a member checks of its transport before it starts: a certificate of the CA it trusts, a
 * private key, an RSA key for Pekko's PEM provider; each refusal one line. And the CA's files are
 * private from the start.
 */
class TransportCheckTest {
  private static final Config LOCAL = LayeredConfig.load("local-cluster");

  @TempDir Path dir;

  @Test
  void aCertificateOfTheClusterCaPasses() {
    ClusterCa ca = ClusterCa.create(dir.resolve("ca"), LOCAL);
    assertEquals(Transport.TLS, TransportCheck.atStart(ca.issue("worker-node-1").applyTo(LOCAL)));
  }

  /**
   * The files are written by BouncyCastle with one round of their password functions (the password
   * is a published setting): the JDK's {@code KeyStore}, which Pekko reads them with, must take
   * them as the JDK's own, a key entry with its chain and a trusted certificate entry.
   */
  @Test
  void theStoresReadAsTheJdksOwnWithOneRound() throws Exception {
    ClusterCa ca = ClusterCa.create(dir.resolve("ca"), LOCAL);
    MemberTransport member = ca.issue("worker-node-1");
    char[] password = LOCAL.getString(ClusterCa.STORE_PASSWORD).toCharArray();
    KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
    try (InputStream in =
        Files.newInputStream(Path.of(member.settings().get(MemberTransport.KEY_STORE)))) {
      keys.load(in, password);
    }
    assertEquals(List.of("member"), Collections.list(keys.aliases()));
    assertTrue(keys.isKeyEntry("member"));
    assertEquals("EC", keys.getKey("member", password).getAlgorithm());
    Certificate[] chain = keys.getCertificateChain("member");
    assertEquals(2, chain.length);
    assertEquals(
        "CN=worker-node-1", ((X509Certificate) chain[0]).getSubjectX500Principal().getName());
    assertEquals(ca.certificate(), chain[1]);
    chain[0].verify(ca.certificate().getPublicKey());

    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    try (InputStream in = Files.newInputStream(ca.directory().resolve(ClusterCa.TRUST_STORE))) {
      trust.load(in, password);
    }
    assertTrue(trust.isCertificateEntry("cluster-ca"), "trusted, as the JDK marks it");
    assertEquals(ca.certificate(), trust.getCertificate("cluster-ca"));

    PKCS12PfxPdu written =
        new PKCS12PfxPdu(Files.readAllBytes(ca.directory().resolve(ClusterCa.TRUST_STORE)));
    assertEquals(
        Pkcs12Files.ROUNDS, written.toASN1Structure().getMacData().getIterationCount().intValue());
    assertTrue(
        written.isMacValid(
            new BcPKCS12MacCalculatorBuilderProvider(BcDefaultDigestProvider.INSTANCE), password));
  }

  @Test
  void theCasFilesAreReadableByTheirOwnerOnly() throws Exception {
    ClusterCa ca = ClusterCa.create(dir.resolve("ca"), LOCAL);
    ca.issue("coordinator");
    try (Stream<Path> all = Files.walk(ca.directory())) {
      for (Path path : all.toList()) {
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        assertEquals(Files.isDirectory(path) ? "rwx------" : "rw-------", mode, path.toString());
      }
    }
    assertTrue(
        Files.notExists(ca.directory().resolve(ClusterCa.CA_KEY)), "the CA's key stays in memory");
    ca.delete();
    assertTrue(Files.notExists(ca.directory()));
  }

  @Test
  void aCertificateOfAnotherCaIsRefused() {
    ClusterCa ours = ClusterCa.create(dir.resolve("ours"), LOCAL);
    ClusterCa theirs = ClusterCa.create(dir.resolve("theirs"), LOCAL);
    MemberTransport foreign = theirs.issue("intruder");
    MemberTransport mixed =
        MemberTransport.keyStores(
            Path.of(foreign.settings().get(MemberTransport.KEY_STORE)),
            ours.directory().resolve(ClusterCa.TRUST_STORE));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> TransportCheck.atStart(mixed.applyTo(LOCAL)));
    assertTrue(
        e.getMessage().contains("(CN=intruder) is not signed by the CA it trusts"), e.getMessage());
  }

  @Test
  void noCertificateIsRefusedInOneLine() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TransportCheck.atStart(LOCAL));
    assertTrue(
        e.getMessage()
            .startsWith(
                "members speak mutual TLS (pekko.remote.artery.transport = tls-tcp), and this"
                    + " member has no certificate of the cluster's CA"),
        e.getMessage());
    assertTrue(e.getMessage().contains("--tls-dir DIR"), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"));
  }

  @Test
  void plainTcpIsAnExplicitChoice() {
    assertEquals(Transport.TCP, TransportCheck.atStart(MemberTransport.plainTcp().applyTo(LOCAL)));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Transport.parse("udp"));
    assertEquals(
        "--transport takes tls (mutual TLS, the default) or tcp (plain, for speed comparisons), got"
            + " 'udp'",
        e.getMessage());
  }

  @Test
  void pemFilesAsASecretHoldsThemPass() throws Exception {
    Path secret = PemSecret.write(dir.resolve("secret"));
    assertEquals(
        Transport.TLS, TransportCheck.atStart(MemberTransport.pemDirectory(secret).applyTo(LOCAL)));
  }

  @Test
  void aPemKeyThatOthersMayReadIsRefused() throws Exception {
    Path secret = PemSecret.write(dir.resolve("secret"));
    Files.setPosixFilePermissions(
        secret.resolve("tls.key"), PosixFilePermissions.fromString("rw-r--r--"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TransportCheck.atStart(MemberTransport.pemDirectory(secret).applyTo(LOCAL)));
    assertTrue(e.getMessage().contains("may be read by other users: refused"), e.getMessage());
  }

  @Test
  void anEcKeyIsRefusedSincePekkosPemProviderReadsRsaOnly() throws Exception {
    Path secret = PemSecret.write(dir.resolve("secret"), "EC");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TransportCheck.atStart(MemberTransport.pemDirectory(secret).applyTo(LOCAL)));
    assertTrue(e.getMessage().contains("holds no RSA key"), e.getMessage());
  }
}
