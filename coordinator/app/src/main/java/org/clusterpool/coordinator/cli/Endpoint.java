package org.clusterpool.coordinator.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;
import org.clusterpool.coordinator.connect.ApiClient;
import org.clusterpool.coordinator.connect.ApiTrust;
import org.clusterpool.coordinator.connect.ClusterState;
import org.clusterpool.coordinator.connect.ClusterTokens;
import org.clusterpool.coordinator.connect.CommandFailure;
import org.clusterpool.coordinator.connect.StateFile;
import org.clusterpool.coordinator.connect.TokenFiles;
import org.clusterpool.coordinator.input.Echo;

/**
 * Where {@code --connect} submits, and with which token: the URL given, or the HTTP API of the
 * cluster that {@code cluster up} started. The token is the one of {@code --token-file}, else of
 * {@code CLUSTERPOOL_TOKEN}, else the cluster's own from the state file (when it is that cluster),
 * else the one a coordinator started by hand made and left in {@code .clusterpool/http-token}: the
 * user types none.
 */
public final class Endpoint {
  private Endpoint() {}

  static boolean looksLikeUrl(String text) {
    return text.startsWith("http://") || text.startsWith("https://");
  }

  /**
   * {@code connect} is the option's value: a URL, or empty for the state file's cluster; {@code
   * tokenFile} and {@code caFile} (whom to trust over HTTPS: {@code --ca-file}) may be null.
   */
  public static ApiClient resolve(String connect, Path tokenFile, Path caFile) {
    Optional<String> given = givenToken(tokenFile);
    if (connect != null && !connect.isEmpty()) {
      URI url = url(connect);
      try {
        String token = given.or(() -> ClusterTokens.forUrl(url)).orElse(null);
        return caFile != null
            ? new ApiClient(url, token, ApiTrust.caFile(caFile, "--ca-file"))
            : new ApiClient(url, token);
      } catch (IllegalArgumentException e) { // a token file open to others, a CA file unfit
        throw new UsageError(e.getMessage());
      }
    }
    String program =
        System.getProperty("clusterpool.home") != null ? "bin/clusterpool" : "clusterpool";
    ClusterState state =
        StateFile.read()
            .orElseThrow(
                () ->
                    new UsageError(
                        "no cluster to connect to (no state at "
                            + StateFile.location()
                            + "): start one with '"
                            + program
                            + " cluster up N', or give its URL: --connect http://HOST:PORT"));
    state
        .coordinatorGone()
        .ifPresent(
            gone -> {
              throw new CommandFailure(
                  "the cluster of "
                      + StateFile.location()
                      + " is not running: its coordinator (pid "
                      + gone.pid()
                      + ") is gone; start one with '"
                      + program
                      + " cluster up N', or clean up with '"
                      + program
                      + " cluster down'");
            });
    return new ApiClient(URI.create(state.http()), given.orElse(state.token()));
  }

  private static URI url(String connect) {
    String shown = Echo.quote(ApiClient.shown(connect)); // never the URL's password
    try {
      URI uri = new URI(connect);
      if (looksLikeUrl(connect) && uri.getHost() != null) {
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
          throw new UsageError(
              "--connect: port "
                  + uri.getPort()
                  + " is out of range: a port is 1..65535, like http://127.0.0.1:8080, got "
                  + shown);
        }
        return uri;
      }
    } catch (URISyntaxException e) {
      // said below
    }
    throw new UsageError(
        "--connect expects the HTTP API's URL, like http://127.0.0.1:8080, got " + shown);
  }

  /**
   * The token the user gave: {@code --token-file} (readable by its owner only), else {@code
   * CLUSTERPOOL_TOKEN}.
   */
  private static Optional<String> givenToken(Path tokenFile) {
    if (tokenFile != null) {
      try {
        return Optional.of(TokenFiles.read(tokenFile).value());
      } catch (IllegalArgumentException e) {
        throw new UsageError("--token-file: " + e.getMessage());
      }
    }
    return ClusterTokens.fromVariable();
  }
}
