package org.clusterpool.coordinator.http;

import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;
import org.clusterpool.coordinator.input.Echo;

/**
 * The answer to a request too malformed to reach the routes (a bad request line, header or length):
 * JSON with one line, as every other error of the API, and no log line. Pekko's own handler logs
 * each one with the request's bytes in it, so that anyone who can reach the port, token or not,
 * could fill the coordinator's log (and write escape sequences into it).
 */
public final class ParsingErrors extends ParsingErrorHandler {
  @Override
  public HttpResponse handle(
      StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    String detail = info.detail().isEmpty() ? "" : ": " + Echo.cut(info.detail());
    return Json.error(status, "the request could not be read: " + info.summary() + detail);
  }
}
