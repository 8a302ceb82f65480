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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
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
 *
 * <p>Each call waits at most the client's {@link #timeout()} (30 s unless {@link #withTimeout} says
 * otherwise: a connected pool gives its {@code requestTimeout}), its whole answer included. A
 * submission's body may be large: it goes on as long as the server takes more of it, and once its
 * last byte went the server has the timeout, plus a second for each {@value
 * #PARSE_BYTES_PER_SECOND} bytes (it parses the whole body before it answers), to answer; at most
 * {@link #SUBMIT_TIMEOUT} in all. So a server that takes nothing, or answers nothing, fails a
 * submission by the timeout.
 */
public final class ApiClient {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /**
   * The most a submission may take, its upload included: one may carry millions of inputs that the
   * server reads before it answers.
   */
  private static final Duration SUBMIT_TIMEOUT = Duration.ofSeconds(120);

  /**
   * How fast a server is sure to parse a submission once it has it all: 8 MiB a second, a tenth of
   * what the coordinator's parser does on a loaded core.
   */
  private static final long PARSE_BYTES_PER_SECOND = 8L << 20;

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

  /** The bound of each call but a submission's upload and a stream's reading. */
  private final Duration timeout;

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
    this.timeout = REQUEST_TIMEOUT;
  }

  private ApiClient(ApiClient other, Duration timeout) {
    this.base = other.base;
    this.http = other.http;
    this.trust = other.trust;
    this.token = other.token;
    this.timeout = timeout;
  }

  /** This client, with each call bounded by {@code timeout} (the HTTP connection is shared). */
  public ApiClient withTimeout(Duration timeout) {
    if (timeout == null || timeout.isZero() || timeout.isNegative())
      throw new IllegalArgumentException("a timeout must be positive, got " + timeout);
    return new ApiClient(this, timeout);
  }

  /** The bound of each call (see the class's comment for a submission's). */
  public Duration timeout() {
    return timeout;
  }

  /**
   * A wait as a message shows it: {@code 3 s}, {@code 1500 ms}, {@code 300 ms}; never {@code 0 s}.
   */
  public static String span(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
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
    return get(path, timeout);
  }

  /** A GET that waits at most {@code limit}, whatever this client's timeout. */
  public JsonNode get(String path, Duration limit) {
    return send(request(path).GET(), limit);
  }

  public JsonNode post(String path, JsonNode body) {
    try {
      return post(path, MAPPER.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the request: " + e.getMessage(), e);
    }
  }

  /**
   * Posts a JSON body already written (a job's millions of inputs need no tree of nodes first):
   * bounded as the class's comment says.
   */
  public JsonNode post(String path, byte[] bytes) {
    AtomicLong lastSent = new AtomicLong(System.nanoTime());
    HttpRequest request =
        request(path)
            .timeout(SUBMIT_TIMEOUT.plusSeconds(1)) // the wait below ends it first
            .header("Content-Type", "application/json")
            .POST(counted(HttpRequest.BodyPublishers.ofByteArray(bytes), lastSent))
            .build();
    Duration answer = timeout.plusMillis(bytes.length * 1000L / PARSE_BYTES_PER_SECOND);
    long end = System.nanoTime() + SUBMIT_TIMEOUT.toNanos();
    return json(
        request,
        await(
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)),
            request,
            () -> {
              long quiet = lastSent.get() + answer.toNanos();
              return quiet - end < 0 ? quiet : end;
            },
            () -> System.nanoTime() - end >= 0 ? SUBMIT_TIMEOUT : answer));
  }

  public JsonNode delete(String path) {
    return delete(path, timeout);
  }

  /** A DELETE that waits at most {@code limit}. */
  public JsonNode delete(String path, Duration limit) {
    return send(request(path).DELETE(), limit);
  }

  /**
   * A DELETE that this thread does not wait for: it completes (never exceptionally) once answered,
   * refused or past {@code limit}.
   */
  public CompletableFuture<Void> deleteAsync(String path, Duration limit) {
    HttpRequest request = request(path).timeout(limit).DELETE().build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .orTimeout(limit.toMillis(), TimeUnit.MILLISECONDS)
        .handle((response, error) -> null);
  }

  /**
   * Reads an NDJSON stream line by line until the server ends it, and returns then; the caller
   * tells from the lines whether it ended on its final line. Throws {@link Unreachable} when no
   * line comes for {@code idleLimit} or the connection breaks.
   */
  public void stream(String path, Duration idleLimit, Consumer<JsonNode> onLine) {
    // the answer's start within the client's timeout; its lines then within idleLimit of each other
    HttpRequest request = request(path).timeout(timeout).GET().build();
    long end = System.nanoTime() + timeout.toNanos();
    HttpResponse<InputStream> response =
        await(
            http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()),
            request,
            () -> end,
            () -> timeout);
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
                + span(idleLimit)
                + ", though it writes a line every few seconds"
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

  private JsonNode send(HttpRequest.Builder builder, Duration limit) {
    HttpRequest request = builder.timeout(limit).build();
    long end = System.nanoTime() + limit.toNanos();
    return json(
        request,
        await(
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)),
            request,
            () -> end,
            () -> limit));
  }

  private JsonNode json(HttpRequest request, HttpResponse<String> response) {
    if (response.statusCode() >= 300) throw failure(response.statusCode(), response.body());
    try {
      return MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new Unreachable(
          request.uri() + " did not answer JSON: is it a clusterpool coordinator's HTTP API?", e);
    }
  }

  /**
   * Waits for a call until {@code deadline} ({@link System#nanoTime()}, read again as it may move:
   * a submission's moves while its body goes), its whole answer included; past it, the call is
   * cancelled and the message says it did not answer within {@code shown}.
   */
  private <T> HttpResponse<T> await(
      CompletableFuture<HttpResponse<T>> call,
      HttpRequest request,
      LongSupplier deadline,
      java.util.function.Supplier<Duration> shown) {
    try {
      while (true) {
        long left = deadline.getAsLong() - System.nanoTime();
        if (left <= 0) {
          if (!call.cancel(true)) return call.join(); // it came meanwhile
          return timedOut(shown.get());
        }
        try {
          return call.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          // the deadline again: a submission's moves on while its body goes
        }
      }
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof CompletionException && cause.getCause() != null)
        cause = cause.getCause();
      if (cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException))
        return timedOut(shown.get());
      if (cause instanceof IOException io) throw unreachable(io);
      if (cause instanceof RuntimeException r) throw r;
      throw unreachable(new IOException(String.valueOf(cause.getMessage()), cause));
    } catch (java.util.concurrent.CancellationException e) {
      return timedOut(shown.get());
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new Unreachable("interrupted while waiting for " + request.uri(), e);
    }
  }

  private <T> T timedOut(Duration shown) {
    throw new Unreachable(
        base + " did not answer within " + span(shown),
        new HttpTimeoutException("no answer within " + span(shown)));
  }

  /**
   * {@code body}, noting in {@code lastSent} when the client takes each part of it to send: the
   * upload's progress.
   */
  private static HttpRequest.BodyPublisher counted(
      HttpRequest.BodyPublisher body, AtomicLong lastSent) {
    return new HttpRequest.BodyPublisher() {
      @Override
      public long contentLength() {
        return body.contentLength();
      }

      @Override
      public void subscribe(Flow.Subscriber<? super java.nio.ByteBuffer> subscriber) {
        body.subscribe(
            new Flow.Subscriber<java.nio.ByteBuffer>() {
              @Override
              public void onSubscribe(Flow.Subscription subscription) {
                lastSent.set(System.nanoTime());
                subscriber.onSubscribe(subscription);
              }

              @Override
              public void onNext(java.nio.ByteBuffer item) {
                lastSent.set(System.nanoTime());
                subscriber.onNext(item);
              }

              @Override
              public void onError(Throwable error) {
                subscriber.onError(error);
              }

              @Override
              public void onComplete() {
                lastSent.set(System.nanoTime());
                subscriber.onComplete();
              }
            });
      }
    };
  }

  private Unreachable unreachable(IOException e) {
    if (e instanceof HttpConnectTimeoutException) {
      return new Unreachable("no answer from " + base + " within " + span(CONNECT_TIMEOUT), e);
    }
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
