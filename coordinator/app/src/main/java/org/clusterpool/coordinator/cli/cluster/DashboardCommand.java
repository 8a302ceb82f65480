package org.clusterpool.coordinator.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.clusterpool.coordinator.cli.Endpoint;
import org.clusterpool.coordinator.cli.ExitCodes;
import org.clusterpool.coordinator.connect.ApiClient;
import org.clusterpool.coordinator.connect.CommandFailure;
import org.clusterpool.coordinator.dashboard.LoginLink;
import org.clusterpool.coordinator.dashboard.LoginTickets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cluster dashboard}: prints a fresh login link to the dashboard of the running cluster (or
 * of the API of {@code --connect URL}): a one-time ticket made here from the token this user
 * already has, so that the token itself never goes into a browser. It checks first that the API
 * answers, and that it serves a dashboard.
 */
@Command(
    name = "dashboard",
    description = {
      "Print a login link to the cluster's live dashboard (valid 10 minutes, it logs in once; the"
          + " browser then keeps a session cookie). The token itself is never in the link.",
      "  clusterpool cluster dashboard            (the cluster that cluster up started)",
      "  clusterpool cluster dashboard --connect http://HOST:8080 --token-file FILE"
    })
final class DashboardCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--connect",
      paramLabel = "URL",
      description = "The HTTP API of another cluster (default: the one of the state file).")
  String connect;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "The file that holds that API's token, readable by you only"
              + " (default: CLUSTERPOOL_TOKEN, else the cluster's own).")
  Path tokenFile;

  @Option(
      names = "--ca-file",
      paramLabel = "FILE",
      description =
          "Over HTTPS: the certificate of the CA that signed the API's (PEM; default:"
              + " CLUSTERPOOL_CA_FILE, else the JDK's authorities).")
  Path caFile;

  @Override
  public Integer call() {
    ApiClient api = Endpoint.resolve(connect == null ? "" : connect, tokenFile, caFile);
    JsonNode index;
    try {
      index = api.get("/");
    } catch (ApiClient.Unreachable | ApiClient.Failure e) {
      throw new CommandFailure(
          "the HTTP API at " + api.base() + " does not answer: " + e.getMessage());
    }
    if (!index.path("routes").toString().contains("/ui/")) {
      throw new CommandFailure(
          "the HTTP API at "
              + api.base()
              + " serves no dashboard: its coordinator runs an older clusterpool");
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(LoginLink.of(api.base(), api.token()));
    out.flush();
    PrintWriter err = spec.commandLine().getErr();
    err.println(
        api.token().isPresent()
            ? "open it within "
                + LoginTickets.VALID.toMinutes()
                + " minutes, in one browser: it logs in once"
            : "the API asks for no token: the link needs no login");
    err.flush();
    return ExitCodes.OK;
  }
}
