package org.clusterpool.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test's reader of server-sent events, as a browser's EventSource reads them: each {@code
 * snapshot} event's data, parsed, handed over as it comes (a thread of its own reads; {@link #next}
 * waits a bounded time). {@link #close} closes the connection, as a page that goes away does.
 */
final class EventStreamClient implements AutoCloseable {
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>(10_000);
  private final InputStream body;
  private final Thread reader;
  final HttpResponse<InputStream> response;

  EventStreamClient(URI url, String header, String value) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url).header("Accept", "text/event-stream").GET();
    if (header != null) request.header(header, value);
    response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    body = response.body();
    reader = new Thread(this::read, "test-event-stream-reader");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String event = null;
      StringBuilder data = new StringBuilder();
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.startsWith("event:")) event = line.substring(6).strip();
        else if (line.startsWith("data:")) data.append(line.substring(5).strip());
        else if (line.isEmpty()) {
          if ("snapshot".equals(event) && data.length() > 0)
            events.offer(Http.JSON.readTree(data.toString()));
          event = null;
          data.setLength(0);
        }
      }
    } catch (IOException e) {
      // closed: the test is done with it
    }
  }

  /** The next snapshot, waiting at most {@code timeout}. */
  JsonNode next(Duration timeout) throws InterruptedException {
    JsonNode event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (event == null)
      throw new AssertionError("no snapshot event within " + timeout.toSeconds() + " s");
    return event;
  }

  @Override
  public void close() throws IOException {
    body.close();
    reader.interrupt();
  }
}
