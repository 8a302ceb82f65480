package org.clusterpool.coordinator.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.clusterpool.coordinator.connect.ApiToken;
import org.clusterpool.coordinator.http.HttpApi;
import org.clusterpool.coordinator.http.HttpSettings;
import org.clusterpool.coordinator.members.LocalCluster;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.coordinator.pool.Inputs;
import org.clusterpool.node.task.builtin.BuiltinTasks;

/**
 * What the dashboard costs the pool: {@code map square} over a million inputs across 2 worker JVMs,
 * with two dashboard pages open (two clients reading {@code /ui/events} the whole run, as two
 * browsers do, from their first event on) and with none, each measure {@link #MAPS} maps, taking
 * turns round after round so that a burst of load on the shared machine falls on both alike. The
 * goal: at most 5 % slower.
 */
final class DashboardCost implements Scenario {
  static final int N = 1_000_000;

  /**
   * Maps a measure times: a second or more, so that a page sees a few events, not just its first.
   */
  static final int MAPS = 20;

  static final int PAGES = 2;

  @Override
  public String name() {
    return "dashboard-cost";
  }

  @Override
  public String description() {
    return "map square 1,000,000 across 2 worker JVMs, with "
        + PAGES
        + " dashboard pages reading the live feed and with none";
  }

  @Override
  public List<Row> run(BenchContext context) throws Exception {
    int rounds = context.repeats(6);
    double[] without = new double[rounds];
    double[] with = new double[rounds];
    long events = 0;
    double[][] idleCpu = new double[context.repeats(3)][2];
    try (LocalCluster cluster = Clusters.start(2, 1)) {
      String token = ApiToken.random();
      HttpSettings settings =
          HttpSettings.fromConfig(cluster.coordinator().system().settings().config())
              .withAddress("127.0.0.1", 0);
      settings = settings.withAccess(settings.access().withToken(token));
      try (HttpApi api =
          HttpApi.start(
              cluster.coordinator().system(), cluster.coordinator().coordinator(), settings)) {
        ClusterPool pool = cluster.pool();
        for (int i = 0; i < 12; i++)
          pool.map(BuiltinTasks.SQUARE, Inputs.range(1, N)); // the worker JVMs' JIT warms up
        try (Pages warm = Pages.open(URI.create(api.url() + "/ui/events"), token, PAGES)) {
          pool.map(BuiltinTasks.SQUARE, Inputs.range(1, N)); // the feed's own code warms up too
        }
        // what the feed itself costs this JVM (the coordinator's), with no job to hide it: CPU time
        // over a quiet while
        for (int i = 0; i < idleCpu.length; i++) {
          idleCpu[i][0] = cpuMillisPerSecond(IDLE);
          try (Pages open = Pages.open(URI.create(api.url() + "/ui/events"), token, PAGES)) {
            open.awaitFirstEvents(Duration.ofSeconds(10));
            idleCpu[i][1] = cpuMillisPerSecond(IDLE);
          }
        }
        for (int i = 0; i < rounds; i++) {
          boolean pagesFirst = i % 2 == 1; // which goes first alternates too
          for (int turn = 0; turn < 2; turn++) {
            boolean pages = (turn == 0) == pagesFirst;
            if (pages) {
              try (Pages open = Pages.open(URI.create(api.url() + "/ui/events"), token, PAGES)) {
                open.awaitFirstEvents(
                    Duration.ofSeconds(10)); // open and showing, as a page is before the run
                long before = open.events();
                with[i] = timedMap(pool);
                events += open.events() - before;
              }
            } else {
              without[i] = timedMap(pool);
            }
          }
        }
      }
    }
    Figure none = Figure.perSecond(N, Samples.median(without));
    Figure open = Figure.perSecond(N, Samples.median(with));
    double cost = (1 - Samples.median(without) / Samples.median(with)) * 100;
    context
        .log()
        .printf(
            Locale.ROOT,
            "dashboard-cost: %d rounds, %d feed events read; cost %.1f %%%n",
            rounds,
            events,
            cost);
    double[] quiet = new double[idleCpu.length];
    double[] feeding = new double[idleCpu.length];
    for (int i = 0; i < idleCpu.length; i++) {
      quiet[i] = idleCpu[i][0];
      feeding[i] = idleCpu[i][1];
    }
    double feedCpu = Samples.median(feeding) - Samples.median(quiet);
    return List.of(
        new Row("map square 1M, 2 worker JVMs, no dashboard page", none, null, null, "items/s"),
        new Row(
            "the same, " + PAGES + " dashboard pages open",
            open,
            null,
            null,
            String.format(
                Locale.ROOT,
                "items/s; cost %.1f %% (goal: at most 5 %%), %d events read",
                cost,
                events)),
        new Row(
            "CPU of the coordinator's JVM, idle, " + PAGES + " pages open",
            Figure.micros(feedCpu / 1000),
            null,
            null,
            String.format(
                Locale.ROOT,
                "of CPU per second more than with none (%.1f vs %.1f ms/s): %.2f %% of one core",
                Samples.median(feeding),
                Samples.median(quiet),
                feedCpu / 10)));
  }

  /** How long each quiet measure of CPU lasts. */
  static final Duration IDLE = Duration.ofSeconds(5);

  /** This JVM's CPU time over {@code span} of doing nothing itself, in ms per second. */
  private static double cpuMillisPerSecond(Duration span) throws InterruptedException {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (!(os instanceof com.sun.management.OperatingSystemMXBean cpu)) return Double.NaN;
    long before = cpu.getProcessCpuTime();
    long start = System.nanoTime();
    Thread.sleep(span.toMillis());
    return (cpu.getProcessCpuTime() - before) / 1e6 / ((System.nanoTime() - start) / 1e9);
  }

  /** The time of {@link #MAPS} maps of {@link #N}, one after the other, per map. */
  private static double timedMap(ClusterPool pool) {
    long start = System.nanoTime();
    for (int i = 0; i < MAPS; i++) {
      List<Long> out = pool.map(BuiltinTasks.SQUARE, Inputs.range(1, N));
      MapThroughput.check(out.size() == N && out.get(N - 1) == (long) N * N);
    }
    return (System.nanoTime() - start) / 1e9 / MAPS;
  }

  /** Clients that read the live feed as pages do, each on a thread of its own, until closed. */
  private static final class Pages implements AutoCloseable {
    private final List<InputStream> bodies = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private final AtomicLong events = new AtomicLong();

    static Pages open(URI feed, String token, int count) throws IOException, InterruptedException {
      Pages pages = new Pages();
      HttpClient client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(5))
              .build();
      try {
        for (int i = 0; i < count; i++) {
          HttpResponse<InputStream> response =
              client.send(
                  HttpRequest.newBuilder(feed)
                      .header("Authorization", "Bearer " + token)
                      .header("Accept", "text/event-stream")
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofInputStream());
          if (response.statusCode() != 200)
            throw new IllegalStateException("the feed answered " + response.statusCode());
          InputStream body = response.body();
          pages.bodies.add(body);
          Thread reader = new Thread(() -> pages.read(body), "bench-dashboard-page-" + i);
          reader.setDaemon(true);
          reader.start();
          pages.readers.add(reader);
        }
      } catch (IOException | InterruptedException | RuntimeException e) {
        pages.close();
        throw e;
      }
      return pages;
    }

    private void read(InputStream body) {
      byte[] buffer = new byte[64 * 1024];
      try {
        for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
          for (int i = 0; i + 6 <= n; i++)
            if (buffer[i] == 'e' && buffer[i + 1] == 'v' && buffer[i + 5] == ':')
              events.incrementAndGet();
        }
      } catch (IOException e) {
        // closed: the page went
      }
    }

    long events() {
      return events.get();
    }

    /** Waits until every page had its first event (bounded): the pages are open and drawn. */
    void awaitFirstEvents(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (events.get() < bodies.size() && System.nanoTime() < deadline) Thread.sleep(10);
    }

    @Override
    public void close() {
      for (InputStream body : bodies) {
        try {
          body.close();
        } catch (IOException e) {
          // gone already
        }
      }
      for (Thread reader : readers) reader.interrupt();
    }
  }
}
