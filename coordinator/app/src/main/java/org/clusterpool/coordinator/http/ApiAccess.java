package org.clusterpool.coordinator.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Optional;
import org.clusterpool.coordinator.connect.ApiToken;
import org.clusterpool.coordinator.connect.TokenFiles;

/**
 * The token the API asks for, as {@link AccessSettings} resolve it when the API starts, and where
 * it came from (for the log: never the token itself). No token is an explicit choice: refused on an
 * interface beyond loopback unless {@code --insecure-no-token}, and warned about whenever the API
 * starts.
 *
 * @param token empty when the API asks for none
 * @param source where the token came from, or why there is none
 * @param file the file that holds it, when it came from one: what a user gives curl
 * @param hint where a client finds the token, as a refusal tells it: never a path of this machine,
 *     nor the token
 */
public record ApiAccess(Optional<ApiToken> token, String source, Optional<Path> file, String hint) {

  /**
   * Resolves the settings for an API on {@code iface}; throws {@link IllegalArgumentException} with
   * one line when refused.
   */
  public static ApiAccess resolve(AccessSettings settings, String iface) {
    if (settings.insecureNoToken()) {
      return new ApiAccess(
          Optional.empty(),
          "no token (--insecure-no-token, clusterpool.http.insecure-no-token)",
          Optional.empty(),
          "");
    }
    if (!settings.requireToken()) {
      if (!loopback(iface)) {
        throw new IllegalArgumentException(
            "the HTTP API would listen on "
                + iface
                + ", beyond this machine, without a token (clusterpool.http.require-token = off):"
                + " anyone who reaches it could run work; keep the token, listen on 127.0.0.1, or"
                + " give --insecure-no-token to do it anyway");
      }
      return new ApiAccess(
          Optional.empty(),
          "no token (clusterpool.http.require-token = off, on loopback only)",
          Optional.empty(),
          "");
    }
    if (!settings.token().isBlank()) {
      return new ApiAccess(
          Optional.of(ApiToken.of(settings.token(), "clusterpool.http.token (CLUSTERPOOL_TOKEN)")),
          "clusterpool.http.token (CLUSTERPOOL_TOKEN)",
          Optional.empty(),
          "the token this API was given" + " (clusterpool.http.token, CLUSTERPOOL_TOKEN)");
    }
    if (!settings.tokenFile().isBlank()) {
      Path file = Path.of(settings.tokenFile());
      return new ApiAccess(
          Optional.of(TokenFiles.read(file)),
          "the file " + file,
          Optional.of(file),
          "the token of the file this API was given (--token-file)");
    }
    Path file = TokenFiles.defaultLocation();
    return new ApiAccess(
        Optional.of(TokenFiles.readOrCreate(file)),
        "the file " + file + " (made once, readable by you only)",
        Optional.of(file),
        "the token in .clusterpool/http-token of the user who started it");
  }

  /** The same token, found by a client as {@code hint} says. */
  public ApiAccess withHint(String hint) {
    return new ApiAccess(token, source, file, hint);
  }

  public boolean open() {
    return token.isEmpty();
  }

  /**
   * Whether {@code iface} is this machine's loopback, which nobody else reaches (a name is
   * resolved).
   */
  static boolean loopback(String iface) {
    try {
      return InetAddress.getByName(iface).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
