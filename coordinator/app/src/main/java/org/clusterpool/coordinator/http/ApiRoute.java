package org.clusterpool.coordinator.http;

import java.util.Arrays;
import java.util.List;

/**
 * One route of the coordinator's HTTP API as {@code GET /} lists it: {@code route} is {@code METHOD
 * /path}, or several of them that do one thing, separated by {@code ", "}; {@code does} says what
 * it does. {@link #ALL} is the one list of the routes: {@code GET /} serves it, {@link Routes}
 * points to it, and a test holds README's table to it.
 */
public record ApiRoute(String route, String does) {
  /** Every route {@link Routes} serves, but {@code GET /} itself, which lists them. */
  public static final List<ApiRoute> ALL =
      List.of(
          new ApiRoute(
              "POST /map",
              "Pool.map: {\"task\": \"square\", \"inputs\": \"1..100\" or [1, 2, 3], \"chunksize\":"
                  + " 10, \"ordered\": true}"),
          new ApiRoute(
              "POST /gather",
              "asyncio.gather: {\"calls\": [\"sleep:1\", \"fib:25\"], \"return_exceptions\": false,"
                  + " \"task_group\": false, \"timeout\": \"5s\", \"limit\": 10}"),
          new ApiRoute(
              "GET /jobs",
              "the jobs kept, newest first, a page at a time; ?limit=N, and ?before=ID as a page's"
                  + " \"next\" says"),
          new ApiRoute(
              "GET /jobs/{id}",
              "state, done/total, error and results; ?from=N&limit=M pages through them"),
          new ApiRoute(
              "GET /jobs/{id}/stream",
              "NDJSON: results as they come, a progress line while none do, a final line; ?from=N"),
          new ApiRoute("DELETE /jobs/{id}", "cancels the job"),
          new ApiRoute(
              "GET /cluster",
              "members (with their pid), workers (chunks done, in flight), the coordinator's"
                  + " queue"),
          new ApiRoute(
              "GET /nodes, POST /nodes",
              "the worker JVMs this member supervises (cluster up); {\"count\": K} starts K more"),
          new ApiRoute(
              "GET /tasks",
              "this member's tasks (fingerprint, source), and the versions of each that the worker"
                  + " nodes have"),
          new ApiRoute(
              "GET /health", "200 when this member is up and the coordinator answers, else 503"),
          new ApiRoute(
              "GET /ui/, GET /ui/assets/{file}",
              "the dashboard: a live page of the cluster, its jobs, task stream, throughput,"
                  + " queues and pipes (log in with the link of: clusterpool cluster dashboard)"),
          new ApiRoute(
              "GET /ui/events",
              "the dashboard's live feed: server-sent events, one snapshot every 500 ms"),
          new ApiRoute(
              "GET /ui/login",
              "?ticket=T: redeems a login link (valid 10 minutes, once): a session cookie, then 303"
                  + " to /ui/"),
          new ApiRoute(
              "GET /metrics",
              "Prometheus text format 0.0.4: jobs, results, chunks re-run, workers, members,"
                  + " queues, faults"));

  /** Each {@code METHOD /path} of this route. */
  public List<String> endpoints() {
    return Arrays.asList(route.split(", "));
  }
}
