package org.clusterpool.coordinator.http;

import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * A request the API refuses: its status and the one line that says why, answered as {@code
 * {"error": "..."}}.
 */
final class ApiException extends RuntimeException {
  private final StatusCode status;

  private ApiException(StatusCode status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  StatusCode status() {
    return status;
  }

  static ApiException badRequest(String message) {
    return new ApiException(StatusCodes.BAD_REQUEST, message);
  }

  static ApiException notFound(String message) {
    return new ApiException(StatusCodes.NOT_FOUND, message);
  }

  static ApiException tooLarge(String message) {
    return new ApiException(StatusCodes.CONTENT_TOO_LARGE, message);
  }

  /**
   * The request names something that differs from what this member has (a task at another version).
   */
  static ApiException conflict(String message) {
    return new ApiException(StatusCodes.CONFLICT, message);
  }

  static ApiException unavailable(String message) {
    return new ApiException(StatusCodes.SERVICE_UNAVAILABLE, message);
  }
}
