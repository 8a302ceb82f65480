package org.clusterpool.coordinator.dashboard;

import java.net.URI;
import java.util.Optional;

/**
 * The link a person opens to see the dashboard: {@code http://127.0.0.1:8080/ui/login?ticket=T}
 * with a fresh one-time ticket made from the API's token (valid {@link LoginTickets#VALID}, it logs
 * in once), or {@code /ui/} itself for an API that asks for no token. The token itself never goes
 * into the link.
 */
public final class LoginLink {
  private LoginLink() {}

  public static String of(URI api, Optional<String> token) {
    String base =
        api.toString().endsWith("/")
            ? api.toString().substring(0, api.toString().length() - 1)
            : api.toString();
    return token
        .filter(t -> !t.isBlank())
        .map(
            t ->
                base
                    + Dashboard.LOGIN_PATH
                    + "?ticket="
                    + LoginTickets.make(t.strip(), System.currentTimeMillis()))
        .orElse(base + "/ui/");
  }
}
