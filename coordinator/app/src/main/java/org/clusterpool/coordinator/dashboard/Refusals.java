package org.clusterpool.coordinator.dashboard;

import java.nio.charset.StandardCharsets;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.clusterpool.coordinator.input.Echo;

/**
 * The dashboard's refusals: a small HTML page for a browser (it asks for {@code text/html}) that
 * says how to get a login link, JSON with one line for a program, as the rest of the API answers.
 */
final class Refusals {
  static final String HOW =
      "get a login link with: bin/clusterpool cluster dashboard (or the link cluster up printed)";

  private Refusals() {}

  static boolean wantsPage(HttpRequest request) {
    return request.getHeader("Accept").map(h -> h.value().contains("text/html")).orElse(false);
  }

  /** 401 for {@code request}: the page or the JSON, saying {@code why} and how to log in. */
  static HttpResponse unauthorized(HttpRequest request, String why) {
    HttpResponse response =
        wantsPage(request)
            ? page(StatusCodes.UNAUTHORIZED, why)
            : json(StatusCodes.UNAUTHORIZED, why + "; " + HOW);
    return response.addHeader(
        WWWAuthenticate.create(HttpChallenge.create("Bearer", "clusterpool")));
  }

  static HttpResponse json(StatusCode status, String message) {
    String body = Snapshots.MAPPER.createObjectNode().put("error", Echo.line(message)).toString();
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(ContentTypes.APPLICATION_JSON, body.getBytes(StandardCharsets.UTF_8));
  }

  /** A page without script or style of its own (the CSP allows none inline), its text escaped. */
  static HttpResponse page(StatusCode status, String why) {
    String html =
        "<!DOCTYPE html>\n"
            + "<html lang=\"en\"><head><meta charset=\"utf-8\"><title>clusterpool dashboard: log"
            + " in</title></head><body><h1>clusterpool dashboard</h1><p>"
            + escape(Echo.line(why))
            + ".</p><p>Get a login link (valid 10 minutes, it logs in once) on the machine that"
            + " runs the cluster:</p><pre>bin/clusterpool cluster dashboard</pre><p>or with"
            + " <code>--connect URL</code> for another cluster. <code>cluster up</code> prints one"
            + " too.</p></body></html>\n";
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(ContentTypes.TEXT_HTML_UTF8, html.getBytes(StandardCharsets.UTF_8))
        .addHeaders(UiAssets.HEADERS);
  }

  static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
