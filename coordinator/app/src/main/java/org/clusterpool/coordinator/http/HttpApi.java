package org.clusterpool.coordinator.http;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.ServerBuilder;
import org.clusterpool.node.protocol.CoordinatorProtocol;

/**
 * The coordinator's HTTP API (JSON over Pekko HTTP), as every coordinator-role node runs it: submit
 * map and gather jobs, follow or stream them, cancel them, see the members and the workers. It
 * reaches the coordinator through the Cluster Singleton proxy, so the API of a standby coordinator
 * works as well as the active one's. When the node shuts down, its running jobs end as cancelled
 * (their streams say so) before the port closes.
 */
public final class HttpApi implements AutoCloseable {
  private static final Duration BIND_TIMEOUT = Duration.ofSeconds(20);

  private final ServerBinding binding;
  private final JobRegistry registry;
  private final Cancellable sweeper;
  private final Cancellable onShutdown;
  private final ApiAccess access;
  private final ApiTransport transport;

  private HttpApi(
      ServerBinding binding,
      JobRegistry registry,
      Cancellable sweeper,
      Cancellable onShutdown,
      ApiAccess access,
      ApiTransport transport) {
    this.binding = binding;
    this.transport = transport;
    this.access = access;
    this.registry = registry;
    this.sweeper = sweeper;
    this.onShutdown = onShutdown;
  }

  /**
   * Binds the API to {@code settings.iface():settings.port()} (port 0: any free one) on this
   * member. Throws {@link IllegalStateException} with one clear line when the address cannot be
   * used, and {@link IllegalArgumentException} when the token cannot be had ({@link
   * ApiAccess#resolve}).
   */
  public static HttpApi start(
      ActorSystem<?> system,
      ActorRef<CoordinatorProtocol.Command> coordinator,
      HttpSettings settings) {
    return start(
        system,
        coordinator,
        settings,
        ApiAccess.resolve(settings.access(), settings.iface()),
        ApiTransport.resolve(settings.https(), settings.iface()));
  }

  /**
   * The API, asking for the token of {@code access} and speaking {@code transport} (resolved by the
   * caller, who reports a refusal its own way).
   */
  public static HttpApi start(
      ActorSystem<?> system,
      ActorRef<CoordinatorProtocol.Command> coordinator,
      HttpSettings settings,
      ApiAccess access,
      ApiTransport transport) {
    JobRegistry registry = new JobRegistry(settings);
    Routes routes = new Routes(system, coordinator, settings, registry, access, transport.https());
    ServerBinding binding;
    try {
      ServerBuilder builder = Http.get(system).newServerAt(settings.iface(), settings.port());
      builder = transport.connectionContext().map(builder::enableHttps).orElse(builder);
      binding =
          builder
              .adaptSettings(
                  server ->
                      server
                          .withParserSettings(
                              server.getParserSettings().withMaxContentLength(settings.maxBody()))
                          .withParsingErrorHandler(ParsingErrors.class.getName()))
              .bind(routes.route())
              .toCompletableFuture()
              .get(BIND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      registry.close();
      throw new IllegalStateException(
          "cannot listen on "
              + settings.iface()
              + ":"
              + settings.port()
              + ": "
              + reason(e.getCause())
              + "; choose another port (--http-port, clusterpool.http.port or"
              + " CLUSTERPOOL_HTTP_PORT)",
          e.getCause());
    } catch (TimeoutException e) {
      registry.close();
      throw new IllegalStateException(
          "cannot listen on "
              + settings.iface()
              + ":"
              + settings.port()
              + ": no answer within "
              + BIND_TIMEOUT.toSeconds()
              + " s",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      registry.close();
      throw new IllegalStateException("interrupted while the HTTP API started", e);
    }
    // running jobs end (as cancelled, which their streams tell) before the port closes; a task
    // that close() cancels, as it closes the port itself (a second terminate of the binding only
    // warns that one is in progress)
    Cancellable onShutdown =
        CoordinatedShutdown.get(Adapter.toClassic(system))
            .addCancellableTask(
                CoordinatedShutdown.PhaseServiceUnbind(),
                "clusterpool-http-jobs",
                () -> {
                  registry.close();
                  return binding
                      .terminate(Duration.ofSeconds(3)) // within the phase's 5 s
                      .thenApply(terminated -> Done.getInstance());
                });
    system
        .log()
        .info(
            "HTTP API listening on {} ({}); its dashboard at /ui/ (a login link: clusterpool"
                + " cluster dashboard --connect URL), Prometheus metrics at /metrics",
            binding.localAddress(),
            transport.description());
    if (transport.insecure(settings.iface())) {
      system
          .log()
          .warn(
              "the HTTP API on {} speaks plain HTTP beyond loopback ({}): its token crosses the"
                  + " network in clear text unless a proxy in front of it ends TLS",
              binding.localAddress(),
              "--insecure-plain-http");
    }
    if (access.open()) {
      system
          .log()
          .warn(
              "the HTTP API on {} asks for NO token: {}; whoever reaches the port can run work,"
                  + " list and cancel jobs",
              binding.localAddress(),
              access.source());
    } else {
      system
          .log()
          .info(
              "the HTTP API asks for the token of {}: curl -H \"Authorization: Bearer $TOKEN\" ...",
              access.source());
    }
    Cancellable sweeper =
        system
            .scheduler()
            .scheduleWithFixedDelay(
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                () -> {
                  registry.cancelAbandoned();
                  registry.forgetExpired();
                },
                system.executionContext());
    return new HttpApi(binding, registry, sweeper, onShutdown, access, transport);
  }

  private static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException)
        return "the address is in use or not available (" + t.getMessage() + ")";
    }
    return String.valueOf(e.getMessage());
  }

  /** The address the API listens on (its port, when 0 was asked for). */
  public InetSocketAddress address() {
    return binding.localAddress();
  }

  /** {@code http://127.0.0.1:8080}, or {@code https://...} when it speaks HTTPS. */
  public String url() {
    InetSocketAddress address = address();
    String host =
        address.getAddress().isAnyLocalAddress()
            ? "127.0.0.1"
            : address.getAddress().getHostAddress();
    if (host.contains(":")) host = "[" + host + "]";
    return transport.scheme() + "://" + host + ":" + address.getPort();
  }

  /** The token this API asks for, and where it came from. */
  public ApiAccess access() {
    return access;
  }

  /** Cancels the running jobs and closes the port; the member itself goes on. */
  @Override
  public void close() {
    sweeper.cancel();
    onShutdown.cancel();
    registry.close();
    binding
        .terminate(Duration.ofSeconds(3))
        .toCompletableFuture()
        .orTimeout(10, TimeUnit.SECONDS)
        .exceptionally(e -> null)
        .join();
  }
}
