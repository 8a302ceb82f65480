package org.clusterpool.coordinator.connect;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which token a client sends to a cluster's HTTP API when its user gave none: {@code
 * CLUSTERPOOL_TOKEN}, else the cluster's own from the state file of {@code cluster up} (when the
 * URL is that cluster's), else the one a coordinator started by hand made and left in {@code
 * .clusterpool/http-token}. The command line's {@code --connect} and {@code ClusterPool.connect}
 * find it the same way, so the user types none.
 */
public final class ClusterTokens {
  private ClusterTokens() {}

  public static final String VARIABLE = "CLUSTERPOOL_TOKEN";

  /**
   * The token for the API at {@code url}; a token file open to others is an {@link
   * IllegalArgumentException}.
   */
  public static Optional<String> forUrl(URI url) {
    return fromVariable()
        .or(
            () ->
                StateFile.read()
                    .filter(state -> sameApi(state.http(), url))
                    .filter(state -> state.coordinatorGone().isEmpty())
                    .map(ClusterState::token))
        .or(ClusterTokens::madeByHand);
  }

  /** {@code CLUSTERPOOL_TOKEN}, when set. */
  public static Optional<String> fromVariable() {
    String variable = System.getenv(VARIABLE);
    return variable == null || variable.isBlank()
        ? Optional.empty()
        : Optional.of(variable.strip());
  }

  /**
   * The token a coordinator started without one made and kept for this user; refused when its file
   * is open to others.
   */
  private static Optional<String> madeByHand() {
    Path file = TokenFiles.defaultLocation();
    if (!Files.exists(file)) return Optional.empty();
    return Optional.of(TokenFiles.read(file).value());
  }

  private static boolean sameApi(String stateUrl, URI url) {
    try {
      URI known = URI.create(stateUrl);
      return known.getPort() == url.getPort()
          && (known.getHost().equalsIgnoreCase(url.getHost())
              || loopback(known.getHost()) && loopback(url.getHost()));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** {@code cluster up} listens on 127.0.0.1, which a user may call localhost. */
  private static boolean loopback(String host) {
    return host != null
        && (host.equalsIgnoreCase("localhost") || host.startsWith("127.") || host.equals("[::1]"));
  }
}
