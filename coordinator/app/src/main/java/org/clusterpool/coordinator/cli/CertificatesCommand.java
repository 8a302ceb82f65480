package org.clusterpool.coordinator.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.clusterpool.node.tls.CertificateFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code clusterpool certificates DIR --host NAME}: a CA and a certificate it signs, in PEM, for a
 * cluster whose members are started by hand: every member takes {@code --tls-dir DIR}, and the
 * coordinator's HTTP API serves HTTPS with {@code --http-tls-dir DIR}; clients trust {@code
 * DIR/ca.crt} ({@code --ca-file}). The same files make the Kubernetes Secret {@code
 * clusterpool-tls}.
 */
@Command(
    name = "certificates",
    description = {
      "Make a CA and a certificate it signs (PEM, RSA keys) in DIR: tls.key, tls.crt, ca.crt and"
          + " ca.key.",
      "Members started by hand share them (--tls-dir DIR); the coordinator's HTTP API serves"
          + " HTTPS with them",
      "(--http-tls-dir DIR), and clients trust DIR/ca.crt (--ca-file). Keep ca.key away from the"
          + " cluster: it makes members."
    })
final class CertificatesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "Where the files go (made mode 0700).")
  Path dir;

  @Option(
      names = "--host",
      paramLabel = "NAME",
      description =
          "A name or IP address clients reach the HTTP API at, which its certificate must hold"
              + " (repeatable; clusterpool, localhost and 127.0.0.1 are always there).")
  List<String> hosts = List.of();

  @Option(
      names = "--days",
      paramLabel = "N",
      description = "How long the certificate is valid (default: 365 days; the CA: 10 years).")
  int days = 365;

  @Override
  public Integer call() {
    if (days < 1 || days > 3650) throw new UsageError("--days takes 1 to 3650, got " + days);
    List<String> names;
    try {
      names =
          CertificateFiles.make(
              dir,
              Stream.concat(Stream.of("localhost", "127.0.0.1"), hosts.stream()).toList(),
              Duration.ofDays(days));
    } catch (IllegalArgumentException e) {
      throw new UsageError(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "made in "
            + dir
            + ": tls.key and tls.crt (for "
            + String.join(", ", names)
            + ", "
            + days
            + " days), signed by ca.crt; ca.key makes more (keep it away from the cluster)");
    out.println("  members:  clusterpool coordinator|node ... --tls-dir " + dir);
    out.println(
        "  HTTPS:    clusterpool coordinator ... --http-interface 0.0.0.0 --http-tls-dir " + dir);
    out.println(
        "  clients:  clusterpool map ... --connect https://HOST:8080 --ca-file "
            + dir.resolve(CertificateFiles.CA_CERTIFICATE)
            + " (or CLUSTERPOOL_CA_FILE; curl --cacert)");
    out.flush();
    return ExitCodes.OK;
  }
}
