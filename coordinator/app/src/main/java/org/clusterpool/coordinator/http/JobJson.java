package org.clusterpool.coordinator.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A job as JSON: what it is and where it stands ({@link #summary}), a page of its results ({@link
 * #page}), a page of jobs ({@link #jobsPage}) and the lines of its stream ({@link #streamLine}); a
 * page or a line holds what fits in its byte budget, and says where the next one starts.
 *
 * <p>Every form has {@code state} ({@code running}, {@code done}, {@code failed}, {@code
 * cancelled}), {@code done} and {@code total} (inputs or calls answered, out of all), and {@code
 * error} once it failed or was cancelled. Map results are the task's outputs, in input order
 * ({@code "ordered": false}: in completion order); gather results are {@code {"position", "call",
 * "value" | "error", "worker"}}, in completion order.
 */
final class JobJson {
  private JobJson() {}

  static ObjectNode summary(ApiJob job) {
    ObjectNode json = Json.object();
    json.put("job", job.id);
    json.put("kind", job.kind());
    ApiJob.State state = job.state();
    json.put("state", state.json());
    job.describe(json);
    json.put("done", job.done());
    json.put("total", job.total);
    json.put("available", job.available());
    json.put("submitted", job.submitted.toString());
    json.put("elapsed_seconds", job.elapsedSeconds());
    List<String> retries = job.retries();
    if (!retries.isEmpty()) {
      ArrayNode notes = json.putArray("retries");
      retries.forEach(notes::add);
      json.put("chunks_retried", job.retried());
    }
    if (state != ApiJob.State.RUNNING && job.error() != null) json.set("error", job.error());
    return json;
  }

  /**
   * The summary with results {@code from .. from + limit}, as many as fit in {@code maxBytes} (one
   * at least); {@code next} is where the following page starts, absent once the job has ended and
   * this page holds its last result.
   */
  static byte[] page(ApiJob job, int from, int limit, long maxBytes) {
    ObjectNode summary =
        summary(job); // the state first: a result that comes after it is left for the next page
    int available = job.available();
    long room = maxBytes - write(json -> json.writeTree(summary)).length - 64;
    int to =
        fitting(
            job,
            from,
            Math.min(available, (int) Math.min(Integer.MAX_VALUE, (long) from + limit)),
            room);
    boolean ended = !summary.get("state").asText().equals(ApiJob.State.RUNNING.json());
    return write(
        json -> {
          json.writeStartObject();
          for (Map.Entry<String, JsonNode> field : summary.properties()) {
            json.writeFieldName(field.getKey());
            json.writeTree(field.getValue());
          }
          json.writeNumberField("from", from);
          json.writeArrayFieldStart("results");
          for (int i = from; i < to; i++) job.writeResult(json, i);
          json.writeEndArray();
          if (!ended || to < available) json.writeNumberField("next", Math.max(from, to));
          json.writeEndObject();
        });
  }

  /**
   * One line of a job's stream: the results {@code from .. to}, the chunks retried since the last
   * line, and the state. The line carries the job's final state only when it carries its last
   * result: until then, {@code "state": "running"}, so that a client reads to the final line and
   * misses nothing.
   */
  static byte[] streamLine(
      ApiJob job, ApiJob.State state, int from, int to, boolean last, List<String> newRetries) {
    return write(
        json -> {
          json.writeStartObject();
          json.writeStringField("job", job.id);
          json.writeStringField("state", last ? state.json() : ApiJob.State.RUNNING.json());
          json.writeNumberField("done", job.done());
          json.writeNumberField("total", job.total);
          if (to > from) {
            json.writeNumberField("from", from);
            json.writeArrayFieldStart("results");
            for (int i = from; i < to; i++) job.writeResult(json, i);
            json.writeEndArray();
          }
          if (!newRetries.isEmpty()) {
            json.writeArrayFieldStart("retries");
            for (String note : newRetries) json.writeString(note);
            json.writeEndArray();
          }
          if (last) {
            json.writeNumberField("elapsed_seconds", job.elapsedSeconds());
            if (job.error() != null) {
              json.writeFieldName("error");
              json.writeTree(job.error());
            }
          }
          json.writeEndObject();
        },
        true);
  }

  /**
   * The jobs' summaries, newest first, as many as fit in {@code maxBytes} (one at least): {@code
   * {"jobs": [...]}}, with {@code next} when more jobs are kept than the page holds.
   */
  static byte[] jobsPage(List<ApiJob> jobs, boolean more, int limit, long maxBytes) {
    List<byte[]> summaries = new ArrayList<>();
    long used = 64;
    boolean cut = false;
    for (ApiJob job : jobs) {
      byte[] summary = write(json -> json.writeTree(summary(job)));
      // room for the next link too, which names the last job listed (an id of 128 random bits is
      // long)
      if (!summaries.isEmpty() && used + summary.length + 1 + job.id.length() > maxBytes) {
        cut = true;
        break;
      }
      summaries.add(summary);
      used += summary.length + 1;
    }
    String last = summaries.isEmpty() ? null : jobs.get(summaries.size() - 1).id;
    boolean next = last != null && (cut || more);
    return write(
        json -> {
          json.writeStartObject();
          json.writeArrayFieldStart("jobs");
          for (byte[] summary : summaries)
            json.writeRawValue(new String(summary, StandardCharsets.UTF_8));
          json.writeEndArray();
          if (next) json.writeStringField("next", "/jobs?before=" + last + "&limit=" + limit);
          json.writeEndObject();
        });
  }

  /**
   * The end of the results from {@code from} (below {@code to}) that fit in {@code maxBytes} of
   * JSON, one at least: each result is written once to be measured.
   */
  static int fitting(ApiJob job, int from, int to, long maxBytes) {
    if (to <= from) return from;
    ByteArrayOutputStream scratch = new ByteArrayOutputStream(64);
    long used = 0;
    int end = from;
    try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(scratch)) {
      while (end < to) {
        job.writeResult(json, end);
        json.flush();
        long size = scratch.size() + 1; // and its comma
        scratch.reset();
        if (end > from && used + size > maxBytes) break;
        used += size;
        end++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return end;
  }

  private interface Body {
    void write(JsonGenerator json) throws IOException;
  }

  private static byte[] write(Body body) {
    return write(body, false);
  }

  private static byte[] write(Body body, boolean newline) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(bytes)) {
      body.write(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (newline) bytes.write('\n');
    return bytes.toByteArray();
  }
}
