package org.clusterpool.coordinator.cli;

import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.net.URI;
import java.util.Optional;
import org.clusterpool.coordinator.connect.ApiToken;
import org.clusterpool.coordinator.dashboard.LoginLink;
import org.clusterpool.coordinator.http.HttpApi;
import org.clusterpool.coordinator.http.HttpSettings;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.coordinator.pool.PoolActors;

/**
 * {@code --dashboard}: the HTTP API and its dashboard for the run of one command's pool (embedded,
 * or {@code --nodes}), on 127.0.0.1, with a token made for the run; the login link goes to standard
 * error, on one line. It stops with the pool.
 */
final class DashboardServer {
  private DashboardServer() {}

  /** Serves {@code pool}'s run; closing what it returns stops the API. */
  static HttpApi serve(ClusterPool pool, int port, PrintWriter err) {
    PoolActors actors =
        PoolActors.of(pool)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the pool of this run has no actor system here to serve a dashboard from"));
    // the coordinator's defaults (its reference.conf), as every coordinator has them
    Config config = actors.system().settings().config();
    String token = ApiToken.random();
    HttpSettings settings = HttpSettings.fromConfig(config).withAddress("127.0.0.1", port);
    settings = settings.withAccess(settings.access().withToken(token));
    HttpApi api;
    try {
      api = HttpApi.start(actors.system(), actors.coordinator(), settings);
    } catch (IllegalStateException e) {
      throw new UsageError("--dashboard: " + e.getMessage());
    }
    err.println(
        "dashboard: "
            + LoginLink.of(URI.create(api.url()), Optional.of(token))
            + "  (this run's; it stops when the command ends)");
    err.flush();
    return api;
  }
}
