package org.clusterpool.coordinator.pool;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import org.clusterpool.coordinator.connect.ClusterState;
import org.clusterpool.coordinator.connect.StateFile;
import org.clusterpool.coordinator.input.Echo;

/**
 * Where {@link ClusterPool#connect()} finds its cluster, as the command line's {@code --connect}
 * does: the state file that {@code cluster up} wrote, else {@code CLUSTERPOOL_URL}. None is one
 * line that says how to start one.
 */
final class ClusterAddress {
  static final String VARIABLE = "CLUSTERPOOL_URL";

  private ClusterAddress() {}

  /**
   * The cluster of the state file, else of the variable's value ({@code environment}: {@code
   * System.getenv}).
   */
  static URI find(java.util.function.Function<String, String> environment) {
    Optional<ClusterState> state;
    try {
      state = StateFile.read();
    } catch (RuntimeException e) { // a state file that cannot be read: its one line says what to do
      throw new IllegalStateException(e.getMessage(), e);
    }
    if (state.isPresent()) {
      state
          .get()
          .coordinatorGone()
          .ifPresent(
              gone -> {
                throw new IllegalStateException(
                    "the cluster of the state file "
                        + StateFile.location()
                        + " is not running: its coordinator (pid "
                        + gone.pid()
                        + ") is gone; start one with 'bin/clusterpool cluster up N' (or 'cluster"
                        + " down' to clean up), or give another cluster's URL");
              });
      return parse(state.get().http(), "the state file " + StateFile.location());
    }
    String url = environment.apply(VARIABLE);
    if (url != null && !url.isBlank()) return parse(url.strip(), VARIABLE);
    throw new IllegalStateException(
        "no cluster to connect to: no state at "
            + StateFile.location()
            + " and no "
            + VARIABLE
            + "; start one with 'bin/clusterpool cluster up N', or give its URL:"
            + " ClusterPool.connect(\"http://HOST:PORT\")");
  }

  /**
   * {@code http://HOST:PORT} (or https): anything else is an {@link IllegalArgumentException} that
   * says what is accepted.
   */
  static URI parse(String url, String from) {
    try {
      URI uri = new URI(url);
      if ((url.startsWith("http://") || url.startsWith("https://")) && uri.getHost() != null)
        return uri;
    } catch (URISyntaxException e) {
      // said below
    }
    throw new IllegalArgumentException(
        "a cluster's address is its HTTP API's URL, like http://127.0.0.1:8080; "
            + from
            + " gives "
            + Echo.quote(url));
  }
}
