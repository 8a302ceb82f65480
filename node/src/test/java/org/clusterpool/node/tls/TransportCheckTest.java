package org.clusterpool.node.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
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
