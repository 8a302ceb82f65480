package org.clusterpool.coordinator.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;

import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MalformedRequestContentRejection;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.Rejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.scaladsl.model.EntityStreamException;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.clusterpool.coordinator.input.Echo;
import org.clusterpool.coordinator.input.InputError;
import org.clusterpool.coordinator.input.InputTooLarge;
import org.clusterpool.node.catalog.TaskNotAllowedException;
import org.clusterpool.node.handle.Futures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every answer the API gives is JSON, errors too: {@code {"error": "one line that says what was
 * wrong and what is accepted"}} with 400 (bad input), 403 (a task that clusterpool.tasks.allowed
 * leaves out), 404 (no such job or route), 405, 413 (too large), 503 (full, or no coordinator) or
 * 500 (a bug: logged with its stack).
 */
final class ErrorResponses {
  private ErrorResponses() {}

  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

  /** The response for what a request failed with. */
  static HttpResponse of(Throwable failure) {
    Throwable e = Futures.cause(failure);
    if (e instanceof ApiException api) return Json.error(api.status(), api.getMessage());
    if (e instanceof TaskNotAllowedException)
      return Json.error(StatusCodes.FORBIDDEN, e.getMessage());
    if (e instanceof InputTooLarge)
      return Json.error(StatusCodes.CONTENT_TOO_LARGE, e.getMessage());
    if (e instanceof InputError) return Json.error(StatusCodes.BAD_REQUEST, e.getMessage());
    if (e instanceof EntityStreamSizeException size) return tooLarge(size);
    if (e instanceof EntityStreamException broken) { // the client's doing, not a bug: no stack
      return isTooLarge(broken)
          ? Json.error(
              StatusCodes.CONTENT_TOO_LARGE,
              Echo.line("the request body is too large: " + broken.info().summary()))
          : Json.error(
              StatusCodes.BAD_REQUEST,
              Echo.line("the request body could not be read: " + broken.info().summary()));
    }
    if (e instanceof TimeoutException) { // a body that did not come in time
      return Json.error(
          StatusCodes.REQUEST_TIMEOUT, "the request body did not come in time: " + e.getMessage());
    }
    LOG.error("the HTTP API failed on a request", e);
    return Json.error(
        StatusCodes.INTERNAL_SERVER_ERROR,
        "internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
  }

  /**
   * Whether reading a body failed on its size: past a stream's limit, or past the most that {@code
   * toStrict} reads.
   */
  static boolean isTooLarge(Throwable e) {
    return e instanceof EntityStreamSizeException
        || e instanceof EntityStreamException broken
            && broken.info().summary().startsWith("Request too large");
  }

  static ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder().matchAny(e -> complete(of(e))).build();
  }

  static RejectionHandler rejections() {
    return RejectionHandler.newBuilder()
        .handle(
            MalformedRequestContentRejection.class,
            r ->
                complete(
                    r.getCause() instanceof EntityStreamSizeException size
                        ? tooLarge(size)
                        : Json.error(
                            StatusCodes.BAD_REQUEST,
                            "the request body is not JSON: " + firstLine(r.message()))))
        .handleAll(
            MethodRejection.class,
            rs ->
                extractRequest(
                    request ->
                        complete(
                            Json.error(
                                StatusCodes.METHOD_NOT_ALLOWED,
                                request.method().value()
                                    + " "
                                    + request.getUri().path()
                                    + " is not a route: accepted "
                                    + methods(rs)
                                    + " "
                                    + request.getUri().path()))))
        .handleAll(
            Rejection.class,
            rs -> complete(Json.error(StatusCodes.BAD_REQUEST, "bad request: " + rs)))
        .handleNotFound(
            extractRequest(
                request ->
                    complete(
                        Json.error(
                            StatusCodes.NOT_FOUND,
                            "no route "
                                + request.method().value()
                                + " "
                                + request.getUri().path()
                                + ": GET / lists the routes"))))
        .build();
  }

  private static String methods(List<MethodRejection> rejections) {
    return rejections.stream()
        .map(r -> r.supported().value())
        .distinct()
        .collect(Collectors.joining(", "));
  }

  private static HttpResponse tooLarge(EntityStreamSizeException size) {
    return bodyTooLarge(size.limit());
  }

  /** A body past {@code clusterpool.http.max-body}, refused before it is read whole. */
  static HttpResponse bodyTooLarge(long limit) {
    return Json.error(
        StatusCodes.CONTENT_TOO_LARGE,
        "the request body is larger than "
            + limit
            + " bytes (clusterpool.http.max-body): send a range like \"1..N\" instead of listing"
            + " the inputs, or split the job");
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
