package org.clusterpool.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code map --dashboard} on the embedded pool, which runs no Pekko Cluster: the login link on
 * standard error logs in, the feed shows this JVM as the one member ({@code mode: embedded}) and
 * the run's job, {@code /cluster} answers, and the port closes when the command ends.
 */
@Timeout(120)
class DashboardOptionTest {
  private static final Pattern LINK =
      Pattern.compile("dashboard: (http://127\\.0\\.0\\.1:(\\d+))(/ui/login\\?ticket=\\S+)");
  private final HttpClient browser =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @Test
  void anEmbeddedRunServesItsDashboardWhileItRunsAndSaysWhere() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    // eight sleeps of 1 s on two workers: about 4 s, time to look at the page
    CompletableFuture<Integer> run =
        CompletableFuture.supplyAsync(
            () ->
                Main.run(
                    new String[] {
                      "map",
                      "sleep",
                      "1,1,1,1,1,1,1,1",
                      "--workers",
                      "2",
                      "--chunksize",
                      "1",
                      "--dashboard"
                    },
                    new PrintWriter(out, true),
                    new PrintWriter(err, true)));
    Matcher link = awaitLink(err, run);
    String base = link.group(1);

    HttpResponse<String> login = get(base + link.group(3), null);
    assertEquals(303, login.statusCode(), login.body());
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));

    HttpResponse<String> cluster = get(base + "/cluster", cookie);
    assertEquals(200, cluster.statusCode(), cluster.body());
    JsonNode clusterJson = new ObjectMapper().readTree(cluster.body());
    assertEquals("embedded", clusterJson.path("mode").asText());
    assertEquals(
        ProcessHandle.current().pid(), clusterJson.path("members").get(0).path("pid").asLong());

    JsonNode snapshot = firstSnapshotWithAJob(base, cookie);
    assertEquals("embedded", snapshot.path("mode").asText());
    assertEquals(1, snapshot.path("members").size(), "this JVM alone: " + snapshot.path("members"));
    assertEquals(
        ProcessHandle.current().pid(), snapshot.path("members").get(0).path("pid").asLong());
    assertEquals(2, snapshot.path("workers").size(), snapshot.path("workers").toString());
    JsonNode job = snapshot.path("jobs").get(0);
    assertEquals("sleep", job.path("task").asText(), job.toString());
    assertEquals(
        "client", job.path("source").asText(), "the command's own job, not one of the API: " + job);

    assertEquals(0, run.get(60, TimeUnit.SECONDS), err.toString());
    assertEquals(8, out.toString().lines().count(), out.toString());
    assertEquals(
        1,
        err.toString().lines().filter(line -> line.startsWith("dashboard: ")).count(),
        err.toString());
    assertThrows(
        ConnectException.class,
        () -> get(base + "/ui/", cookie),
        "the dashboard stops with the command");
  }

  @Test
  void dashboardDoesNotGoWithConnect() {
    MainTest.Run run =
        MainTest.run("map", "square", "1..3", "--connect", "http://127.0.0.1:1", "--dashboard");
    assertEquals(2, run.code(), run.err());
    assertTrue(
        run.err().startsWith("clusterpool: --dashboard serves this run's own pool"), run.err());
    assertEquals(1, run.err().lines().count(), run.err());
  }

  private static Matcher awaitLink(StringWriter err, CompletableFuture<Integer> run)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      Matcher matcher = LINK.matcher(err.toString());
      if (matcher.find()) return matcher;
      if (run.isDone())
        throw new AssertionError(
            "the command ended without a dashboard link: " + err + " exit " + run.join());
      Thread.sleep(20);
    }
    throw new AssertionError("no dashboard link within 60 s: " + err);
  }

  /** Reads the feed until a snapshot lists a job (the run submits it once the pool is up). */
  private JsonNode firstSnapshotWithAJob(String base, String cookie)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/ui/events"))
            .header("Cookie", cookie)
            .GET()
            .build();
    HttpResponse<InputStream> response =
        browser.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, response.statusCode());
    ObjectMapper json = new ObjectMapper();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine();
          line != null && System.nanoTime() < deadline;
          line = lines.readLine()) {
        if (!line.startsWith("data:")) continue;
        JsonNode snapshot = json.readTree(line.substring(5).strip());
        if (snapshot.path("jobs").size() > 0) return snapshot;
      }
    }
    throw new AssertionError("no snapshot listed the run's job");
  }

  private HttpResponse<String> get(String url, String cookie)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
    if (cookie != null) request.header("Cookie", cookie);
    return browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
