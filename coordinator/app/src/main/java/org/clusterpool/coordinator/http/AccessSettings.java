package org.clusterpool.coordinator.http;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import org.clusterpool.coordinator.connect.TokenFiles;

/**
 * Who may use the HTTP API ({@code clusterpool.http}): the token every request carries, from {@code
 * token} ({@code CLUSTERPOOL_TOKEN}), else from {@code token-file}, else made once and kept in
 * {@link TokenFiles#defaultLocation()}; the token turned off ({@code require-token = off}, loopback
 * only), or off everywhere ({@code insecure-no-token}, {@code --insecure-no-token}, warned on every
 * start); and the host names, beyond this member's own addresses, that a request may name in its
 * {@code Host} and {@code Origin}.
 */
public record AccessSettings(
    String token,
    String tokenFile,
    boolean requireToken,
    boolean insecureNoToken,
    List<String> allowedHosts) {

  public AccessSettings {
    allowedHosts = List.copyOf(allowedHosts);
  }

  @Override
  public String toString() {
    return "AccessSettings[token "
        + (token.isBlank() ? "none given" : "given")
        + ", file "
        + tokenFile
        + ", require "
        + requireToken
        + ", insecure "
        + insecureNoToken
        + ", hosts "
        + allowedHosts
        + "]"; // never the token
  }

  static AccessSettings fromConfig(Config http) {
    List<String> hosts = new ArrayList<>(http.getStringList("allowed-hosts"));
    for (String host : http.getString("more-allowed-hosts").split(",")) {
      if (!host.isBlank()) hosts.add(host.strip());
    }
    return new AccessSettings(
        http.getString("token"),
        http.getString("token-file"),
        http.getBoolean("require-token"),
        http.getBoolean("insecure-no-token"),
        hosts);
  }

  /** This token, whatever the config said: a cluster's own ({@code cluster up}), a test's. */
  public AccessSettings withToken(String token) {
    return new AccessSettings(token, "", true, false, allowedHosts);
  }

  /** The token from this file ({@code --token-file}), whatever else the config gave. */
  public AccessSettings withTokenFile(String file) {
    return new AccessSettings("", file, true, insecureNoToken, allowedHosts);
  }

  /** No token asked, on any interface ({@code --insecure-no-token}): warned on every start. */
  public AccessSettings withInsecureNoToken() {
    return new AccessSettings(token, tokenFile, requireToken, true, allowedHosts);
  }

  /** No token asked: refused beyond loopback unless {@link #withInsecureNoToken()}. */
  public AccessSettings withoutToken() {
    return new AccessSettings("", "", false, insecureNoToken, allowedHosts);
  }
}
