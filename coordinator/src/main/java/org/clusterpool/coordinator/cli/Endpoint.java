package org.clusterpool.coordinator.cli;

import java.net.URI;
import java.net.URISyntaxException;
import org.clusterpool.coordinator.cli.cluster.ClusterState;
import org.clusterpool.coordinator.cli.cluster.StateFile;
import org.clusterpool.coordinator.input.Echo;

/** Where {@code --connect} submits: the URL given, or the HTTP API of the cluster that {@code cluster up} started. */
final class Endpoint {
  private Endpoint() {}

  static boolean looksLikeUrl(String text) {
    return text.startsWith("http://") || text.startsWith("https://");
  }

  /** {@code connect} is the option's value: a URL, or empty for the state file's cluster. */
  static URI resolve(String connect) {
    if (connect != null && !connect.isEmpty()) {
      try {
        URI uri = new URI(connect);
        if (looksLikeUrl(connect) && uri.getHost() != null) return uri;
      } catch (URISyntaxException e) {
        // said below
      }
      throw new UsageError("--connect expects the HTTP API's URL, like http://127.0.0.1:8080, got " + Echo.quote(connect));
    }
    String program = System.getProperty("clusterpool.home") != null ? "bin/clusterpool" : "clusterpool";
    ClusterState state = StateFile.read().orElseThrow(() -> new UsageError("no cluster to connect to (no state at "
        + StateFile.location() + "): start one with '" + program + " cluster up N', or give its URL: --connect http://HOST:PORT"));
    return URI.create(state.http());
  }
}
