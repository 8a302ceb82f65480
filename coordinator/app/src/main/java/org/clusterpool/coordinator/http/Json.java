package org.clusterpool.coordinator.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.clusterpool.coordinator.input.Echo;

/**
 * The API's JSON: one mapper, and responses. Request bodies are read by {@link JobRequests}, once
 * {@link RequestGuard#json} found them declared {@code application/json} (curl sends {@code -d
 * '{...}'} as a form unless told {@code -H 'Content-Type: application/json'}).
 */
final class Json {
  private Json() {}

  static final ObjectMapper MAPPER = new ObjectMapper();

  /** Newline-delimited JSON: one object a line, for streams. */
  static final ContentType NDJSON =
      MediaTypes.applicationWithFixedCharset("x-ndjson", HttpCharsets.UTF_8, "ndjson")
          .toContentType();

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static HttpResponse response(StatusCode status, JsonNode body) {
    try {
      return HttpResponse.create()
          .withStatus(status)
          .withEntity(
              HttpEntities.create(ContentTypes.APPLICATION_JSON, MAPPER.writeValueAsBytes(body)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  static HttpResponse json(StatusCode status, byte[] body) {
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body));
  }

  /**
   * {@code {"error": "..."}} with the status: one line, escaped and bounded, whatever it echoes.
   */
  static HttpResponse error(StatusCode status, String message) {
    HttpResponse response = response(status, object().put("error", Echo.line(message)));
    // full, or not ready yet: a client that retries is told when, as RFC 9110 has it
    return status.equals(StatusCodes.SERVICE_UNAVAILABLE)
        ? response.addHeader(RetryAfter.create(RETRY_AFTER_SECONDS))
        : response;
  }

  /** What a 503 asks to wait before retrying: a running job's end, a coordinator's start. */
  static final long RETRY_AFTER_SECONDS = 1;
}
