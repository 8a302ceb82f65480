package org.clusterpool.coordinator.k8s;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one part of Kubernetes that Cluster Bootstrap talks to, stood in on loopback: HTTPS with a
 * test CA, {@code GET /api/v1/namespaces/NS/pods?labelSelector=...} with a bearer token, answered
 * with a {@code PodList} of the pods whose labels match the selector, as {@code application/json}.
 * {@link #forbid()} makes it answer as an API server does to a ServiceAccount without the right
 * Role: 403.
 */
final class StandInApiServer implements AutoCloseable {
  private static final Pattern PODS = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods$");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A running pod: its name, IP, labels and named container ports, as the API reports them. */
  record RunningPod(
      String name, String ip, Map<String, String> labels, Map<String, Integer> ports) {}

  private final HttpsServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final String namespace;
  private final String token;
  private final List<RunningPod> pods;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile boolean forbidden;

  private StandInApiServer(
      TestCertificates certificates, String namespace, String token, List<RunningPod> pods)
      throws Exception {
    this.namespace = namespace;
    this.token = token;
    this.pods = List.copyOf(pods);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.setHttpsConfigurator(new HttpsConfigurator(certificates.serverContext()));
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  static StandInApiServer start(
      TestCertificates certificates, String namespace, String token, List<RunningPod> pods)
      throws Exception {
    return new StandInApiServer(certificates, namespace, token, pods);
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** From now on, every request is refused as RBAC refuses it. */
  void forbid() {
    forbidden = true;
  }

  /** The requests so far: "GET path?query", each once. */
  List<String> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String query = exchange.getRequestURI().getRawQuery();
      requests.add(
          exchange.getRequestMethod()
              + " "
              + path
              + (query == null ? "" : "?" + URLDecoder.decode(query, StandardCharsets.UTF_8)));
      Matcher pods = PODS.matcher(path);
      if (!exchange.getRequestMethod().equals("GET") || !pods.matches()) {
        reply(
            exchange,
            404,
            status(404, "NotFound", "the server could not find the requested resource"));
      } else if (!("Bearer " + token)
          .equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        reply(exchange, 401, status(401, "Unauthorized", "Unauthorized"));
      } else if (forbidden) {
        reply(
            exchange,
            403,
            status(
                403,
                "Forbidden",
                "pods is forbidden: User \"system:serviceaccount:"
                    + pods.group(1)
                    + ":default\" cannot list resource \"pods\" in API group \"\" in the namespace"
                    + " \""
                    + pods.group(1)
                    + "\""));
      } else {
        reply(exchange, 200, podList(pods.group(1), selector(query)));
      }
    }
  }

  private Object podList(String requestedNamespace, Map<String, String> selector) {
    List<Pod> items = new ArrayList<>();
    if (requestedNamespace.equals(namespace)) {
      for (RunningPod pod : pods) {
        if (pod.labels().entrySet().containsAll(selector.entrySet())) items.add(toPod(pod));
      }
    }
    return new PodListBuilder()
        .withNewMetadata()
        .withResourceVersion("1")
        .endMetadata()
        .withItems(items)
        .build();
  }

  private Pod toPod(RunningPod pod) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(pod.name())
        .withNamespace(namespace)
        .withLabels(pod.labels())
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("clusterpool")
        .withImage("clusterpool")
        .withPorts(
            pod.ports().entrySet().stream()
                .map(
                    p ->
                        new ContainerPortBuilder()
                            .withName(p.getKey())
                            .withContainerPort(p.getValue())
                            .withProtocol("TCP")
                            .build())
                .toList())
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .withPodIP(pod.ip())
        .endStatus()
        .build();
  }

  /** Equality-based terms only ({@code a=b,c=d}), which is what the discovery client sends. */
  private static Map<String, String> selector(String rawQuery) {
    Map<String, String> out = new LinkedHashMap<>();
    if (rawQuery == null) return out;
    for (String parameter : rawQuery.split("&")) {
      String[] pair = parameter.split("=", 2);
      if (!pair[0].equals("labelSelector") || pair.length < 2) continue;
      for (String term : URLDecoder.decode(pair[1], StandardCharsets.UTF_8).split(",")) {
        String[] kv = term.split("==?", 2);
        out.put(kv[0].trim(), kv.length > 1 ? kv[1].trim() : "");
      }
    }
    return out;
  }

  private static Object status(int code, String reason, String message) {
    return new StatusBuilder()
        .withStatus("Failure")
        .withCode(code)
        .withReason(reason)
        .withMessage(message)
        .build();
  }

  private static void reply(HttpExchange exchange, int code, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
