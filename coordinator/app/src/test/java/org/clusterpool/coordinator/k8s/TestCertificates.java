package org.clusterpool.coordinator.k8s;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A certificate authority made for one test, and a server certificate it signs for 127.0.0.1: what
 * the stand-in API server presents, and what the pods trust as {@code ca.crt}. The discovery client
 * speaks HTTPS only and checks the server's name, as it does against a real API server. Made with
 * the JDK's keytool.
 */
final class TestCertificates {
  private static final String PASSWORD = "clusterpool-test";

  private final Path caCertificate;
  private final Path serverKeyStore;

  private TestCertificates(Path caCertificate, Path serverKeyStore) {
    this.caCertificate = caCertificate;
    this.serverKeyStore = serverKeyStore;
  }

  /** Creates the CA and the server's key and certificate in {@code dir}. */
  static TestCertificates create(Path dir) throws IOException, InterruptedException {
    Path ca = dir.resolve("ca.p12");
    Path caPem = dir.resolve("ca.crt");
    Path server = dir.resolve("server.p12");
    Path request = dir.resolve("server.csr");
    Path signed = dir.resolve("server.crt");
    keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=clusterpool test CA",
        "-ext",
        "bc:c",
        "-validity",
        "2",
        "-keystore",
        ca.toString());
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        ca.toString(),
        "-file",
        caPem.toString());
    keytool(
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=kubernetes",
        "-validity",
        "2",
        "-keystore",
        server.toString());
    keytool(
        "-certreq",
        "-alias",
        "server",
        "-keystore",
        server.toString(),
        "-file",
        request.toString());
    keytool(
        "-gencert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        ca.toString(),
        "-infile",
        request.toString(),
        "-outfile",
        signed.toString(),
        "-ext",
        "san=ip:127.0.0.1,dns:localhost",
        "-ext",
        "eku=serverAuth",
        "-validity",
        "2");
    // the server's key store holds the chain: the CA first, then the signed reply over the key pair
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "ca",
        "-file",
        caPem.toString(),
        "-keystore",
        server.toString());
    keytool(
        "-importcert",
        "-alias",
        "server",
        "-file",
        signed.toString(),
        "-keystore",
        server.toString());
    return new TestCertificates(caPem, server);
  }

  /** The CA's certificate, PEM: what Kubernetes mounts at .../serviceaccount/ca.crt. */
  Path caCertificate() {
    return caCertificate;
  }

  /** TLS for the stand-in API server, with the signed certificate. */
  SSLContext serverContext() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(serverKeyStore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.addAll(
        List.of(
            "-storetype",
            "PKCS12",
            "-storepass",
            PASSWORD)); // PKCS12: the keys share the store's password
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS))
        throw new IllegalStateException("keytool did not end within 60 s: " + command);
      String output = new String(process.getInputStream().readAllBytes());
      if (process.exitValue() != 0)
        throw new IllegalStateException(
            "keytool failed: " + String.join(" ", args) + ": " + output);
    } finally {
      process.destroyForcibly();
    }
  }
}
