package org.clusterpool.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.clusterpool.coordinator.testcluster.SharedCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code cluster dashboard --connect URL} prints a link that logs a browser in once (the session
 * cookie, then the page), and never the token itself.
 */
@ExtendWith(SharedCluster.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(90)
class DashboardLinkTest {
  private final HttpClient browser =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private String url;

  @BeforeAll
  void start(SharedCluster cluster) {
    url = cluster.url().toString();
  }

  @Test
  void theLinkLogsInOnceAndHoldsNoToken() throws Exception {
    MainTest.Run run =
        MainTest.run(
            "cluster",
            "dashboard",
            "--connect",
            url,
            "--token-file",
            SharedCluster.tokenFile().toString());
    assertEquals(0, run.code(), run.err());
    String link = run.out().strip();
    assertEquals(1, run.out().lines().count(), "the link alone on its line: " + run.out());
    assertTrue(link.startsWith(url + "/ui/login?ticket="), link);
    assertFalse(
        run.out().contains(SharedCluster.TOKEN) || run.err().contains(SharedCluster.TOKEN),
        "no token printed");

    HttpResponse<String> login = open(link, null);
    assertEquals(303, login.statusCode(), login.body());
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    cookie = cookie.substring(0, cookie.indexOf(';'));
    assertEquals(200, open(url + "/cluster", cookie).statusCode(), "the browser is logged in");
    assertEquals(401, open(link, null).statusCode(), "the link logs in once");
  }

  @Test
  void aLinkForAnApiThatDoesNotAnswerIsAOneLineFailure() {
    MainTest.Run run =
        MainTest.run(
            "cluster",
            "dashboard",
            "--connect",
            "http://127.0.0.1:1",
            "--token-file",
            SharedCluster.tokenFile().toString());
    assertEquals(1, run.code(), run.err());
    assertEquals(1, run.err().lines().count(), run.err());
    assertTrue(run.err().contains("does not answer"), run.err());
    assertEquals("", run.out());
  }

  private HttpResponse<String> open(String link, String cookie)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(link)).timeout(Duration.ofSeconds(30)).GET();
    if (cookie != null) request.header("Cookie", cookie);
    return browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
