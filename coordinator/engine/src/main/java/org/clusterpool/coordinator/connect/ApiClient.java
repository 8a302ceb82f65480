package org.clusterpool.coordinator.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.clusterpool.coordinator.input.BoundedLineReader;
import org.clusterpool.coordinator.input.Echo;
import org.clusterpool.coordinator.input.InputError;

/**
 * A client of the coordinator's HTTP API on {@link HttpClient}, for the command line ({@code
 * --connect}, {@code cluster status}) and tests: no actor system, so it starts in milliseconds.
 * Every call is bounded in time, streams included: a stream that stays silent past its idle limit
 * (the server writes a heartbeat every couple of seconds) counts as a coordinator that is gone,
 * never as a wait without end. Every request carries the API's token ({@code Authorization:
 * Bearer}) when one is given; a refused token is a {@link Failure} of status 401 whose one line
 * says so.
 */
public final class ApiClient {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** A submission may carry millions of inputs that the server reads before it answers. */
  private static final Duration SUBMIT_TIMEOUT = Duration.ofSeconds(120);

  /**
   * A stream's line is at most clusterpool.http.max-line-bytes (1 MiB by default): far more is not
   * a clusterpool server.
   */
  private static final int MAX_STREAM_LINE = 64 << 20;

  private final URI base;
  private final HttpClient http;
  private final ApiTrust trust;

  /** Empty when none is sent. */
  private final Optional<String> token;

  /** A client that sends no token: for an API that asks none. */
  public ApiClient(URI base) {
    this(base, null);
  }

  /**
   * A client that sends {@code token} with every request ({@code null} or blank: none), and over
   * HTTPS trusts the CA of {@code CLUSTERPOOL_CA_FILE}, else the JDK's.
   */
  public ApiClient(URI base, String token) {
    this(base, token, ApiTrust.forUrl(base));
  }

  /** As {@link #ApiClient(URI, String)}, trusting {@code trust} over HTTPS. */
  public ApiClient(URI base, String token, ApiTrust trust) {
    this.trust = trust;
    this.token = token == null || token.isBlank() ? Optional.empty() : Optional.of(token.strip());
    // the API's credential is the token: user:password@ in a URL is never sent, and dropping it
    // here keeps it out of every message that names the URL
    String text = withoutUserInfo(base.toString());
    this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .sslContext(trust.context())
            .build();
  }

  private static final java.util.regex.Pattern USER_INFO =
      java.util.regex.Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@");

  /** The URL without its {@code user:password@}, which a message must never repeat. */
  public static String withoutUserInfo(String url) {
    return url == null ? null : USER_INFO.matcher(url).replaceFirst("$1");
  }

  /** The URL as a message may show it: its {@code user:password@} replaced by {@code ***@}. */
  public static String shown(String url) {
    return url == null ? null : USER_INFO.matcher(url).replaceFirst("$1***@");
  }

  public URI base() {
    return base;
  }

  /** The token this client sends: to make a dashboard login ticket from, never to print. */
  public Optional<String> token() {
    return token;
  }

  /** Whether this client sends a token. */
  public boolean sendsToken() {
    return token.isPresent();
  }

  /** The server answered with an error: its status and its one-line {@code error}. */
  public static final class Failure extends RuntimeException {
    private final int status;

    Failure(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** Nothing answered, or the connection broke: the message says which, and where. */
  public static final class Unreachable extends RuntimeException {
    private final boolean unresolved;

    Unreachable(String message, Throwable cause) {
      super(message, cause, false, false);
      // a name that does not resolve, or a certificate refused: the URL or the trust is wrong, not
      // the cluster's running
      this.unresolved = unresolved(cause) || tlsFailure(cause) != null;
    }

    /**
     * {@code hint} (like "is it running?"), or nothing when the host name did not resolve: then the
     * URL is what is wrong, and the message says so.
     */
    public String hint(String hint) {
      return unresolved ? "" : hint;
    }
  }

  public JsonNode get(String path) {
    return send(request(path).timeout(REQUEST_TIMEOUT).GET().build());
  }

  public JsonNode post(String path, JsonNode body) {
    try {
      return post(path, MAPPER.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the request: " + e.getMessage(), e);
    }
  }

  /** Posts a JSON body already written (a job's millions of inputs need no tree of nodes first). */
  public JsonNode post(String path, byte[] bytes) {
    return send(
        request(path)
            .timeout(SUBMIT_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
            .build());
  }

  public JsonNode delete(String path) {
    return send(request(path).timeout(REQUEST_TIMEOUT).DELETE().build());
  }

  /**
   * Reads an NDJSON stream line by line until the server ends it, and returns then; the caller
   * tells from the lines whether it ended on its final line. Throws {@link Unreachable} when no
   * line comes for {@code idleLimit} or the connection breaks.
   */
  public void stream(String path, Duration idleLimit, Consumer<JsonNode> onLine) {
    HttpRequest request = request(path).timeout(REQUEST_TIMEOUT).GET().build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unreachable("interrupted while waiting for " + base + path, e);
    }
    if (response.statusCode() >= 300) {
      String body;
      try (InputStream in = response.body()) {
        body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
      } catch (IOException e) {
        body = "";
      }
      throw failure(response.statusCode(), body);
    }
    ScheduledExecutorService watchdog =
        Executors.newSingleThreadScheduledExecutor(
            run -> {
              Thread thread = new Thread(run, "clusterpool-stream-watchdog");
              thread.setDaemon(true);
              return thread;
            });
    InputStream body = response.body();
    AtomicLong lastLine = new AtomicLong(System.nanoTime());
    AtomicBoolean silent = new AtomicBoolean();
    // a read blocks without a timeout of its own: the watchdog closes the stream under it
    watchdog.scheduleWithFixedDelay(
        () -> {
          if (System.nanoTime() - lastLine.get() > idleLimit.toNanos()) {
            silent.set(true);
            closeQuietly(body);
          }
        },
        200,
        200,
        TimeUnit.MILLISECONDS);
    try (BoundedLineReader reader =
        new BoundedLineReader(
            body,
            "the stream of " + base + path,
            MAX_STREAM_LINE,
            "a line of a job's stream is at most clusterpool.http.max-line-bytes: is it a"
                + " clusterpool coordinator?")) {
      String line;
      while ((line = reader.next()) != null) {
        lastLine.set(System.nanoTime());
        if (line.isBlank()) continue;
        onLine.accept(MAPPER.readTree(line));
      }
    } catch (InputError e) {
      throw new Unreachable(e.getMessage(), e);
    } catch (IOException e) {
      if (silent.get()) {
        throw new Unreachable(
            "no word for "
                + idleLimit.toSeconds()
                + " s, though it writes a line every few seconds"
                + " while a job runs",
            e);
      }
      throw new Unreachable("the connection broke (" + describe(e) + ")", e);
    } finally {
      watchdog.shutdownNow();
    }
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json");
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    return request;
  }

  private JsonNode send(HttpRequest request) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unreachable("interrupted while waiting for " + request.uri(), e);
    }
    if (response.statusCode() >= 300) throw failure(response.statusCode(), response.body());
    try {
      return MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new Unreachable(
          request.uri() + " did not answer JSON: is it a clusterpool coordinator's HTTP API?", e);
    }
  }

  private Unreachable unreachable(IOException e) {
    if (e instanceof HttpConnectTimeoutException) {
      return new Unreachable(
          "no answer from " + base + " within " + CONNECT_TIMEOUT.toSeconds() + " s", e);
    }
    if (e instanceof HttpTimeoutException)
      return new Unreachable(base + " took too long to answer", e);
    if (unresolved(e)) {
      return new Unreachable(
          "the host name '" + base.getHost() + "' of " + base + " did not resolve: check the URL",
          e);
    }
    if (e instanceof ConnectException)
      return new Unreachable("nothing listens on " + base + " (connection refused)", e);
    SSLException tls = tlsFailure(e);
    if (tls != null) return new Unreachable(tlsProblem(tls), e);
    if ("http".equalsIgnoreCase(base.getScheme())) {
      return new Unreachable(
          "cannot reach "
              + base
              + ": "
              + describe(e)
              + " (an API that serves HTTPS closes a plain connection: then give https://"
              + base.getRawAuthority()
              + ")",
          e);
    }
    return new Unreachable("cannot reach " + base + ": " + describe(e), e);
  }

  private static SSLException tlsFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException ssl) return ssl;
      if (t.getCause() == t) break;
    }
    return null;
  }

  /** What went wrong in the TLS handshake, and what to do: one line. */
  private String tlsProblem(SSLException e) {
    String message = String.valueOf(e.getMessage());
    boolean untrusted = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.security.cert.CertPathValidatorException
          || String.valueOf(t.getMessage()).contains("PKIX path")) untrusted = true;
      if (t.getCause() == t) break;
    }
    if (untrusted)
      return "the HTTP API at "
          + base
          + " showed a certificate this client does not trust: "
          + trust.advice();
    if (message.contains("subject alternative") || message.contains("No name matching")) {
      return "the certificate of the HTTP API at "
          + base
          + " does not name the host '"
          + base.getHost()
          + "': use a name it holds, or give the API a certificate that names this one"
          + " ('clusterpool certificates DIR --host "
          + base.getHost()
          + "')";
    }
    if (message.contains(
        "nrecognized SSL message")) { // "Unsupported or unrecognized", "Unrecognized"
      return base
          + " does not speak TLS: is its API plain HTTP? (http://"
          + base.getRawAuthority()
          + ")";
    }
    return "TLS with the HTTP API at " + base + " failed: " + message;
  }

  /** Whether the host was never found: HttpClient says ConnectException for that too. */
  private static boolean unresolved(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.nio.channels.UnresolvedAddressException
          || t instanceof java.net.UnknownHostException) return true;
      if (t.getCause() == t) break;
    }
    return false;
  }

  private static String describe(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private Failure failure(int status, String body) {
    if (status == 401) {
      return new Failure(
          status,
          token.isPresent()
              ? "the HTTP API at "
                  + base
                  + " refused the token given: it is not this cluster's (give its token with"
                  + " --token-file FILE or CLUSTERPOOL_TOKEN)"
              : "the HTTP API at "
                  + base
                  + " asks for a token: give it with --token-file FILE or CLUSTERPOOL_TOKEN");
    }
    return new Failure(status, errorMessage(status, body));
  }

  /**
   * The server's {@code {"error": "..."}}, or the status and the start of the body when it is not
   * ours.
   */
  private static String errorMessage(int status, String body) {
    try {
      JsonNode json = MAPPER.readTree(body);
      if (json != null && json.hasNonNull("error")) return Echo.line(json.get("error").asText());
    } catch (IOException e) {
      // not JSON: said below
    }
    // another server's page: its start, in one line (its layout's line breaks and indents as
    // spaces, any other control character escaped), cut short
    String start = body == null ? "" : body.strip().replaceAll("\\s+", " ");
    return "HTTP " + status + (start.isEmpty() ? "" : ": " + Echo.cut(start));
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // the reader sees the stream closed, which is the point
    }
  }
}
