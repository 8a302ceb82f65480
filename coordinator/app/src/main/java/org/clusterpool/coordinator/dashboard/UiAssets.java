package org.clusterpool.coordinator.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.clusterpool.coordinator.input.Echo;

/**
 * The dashboard's files, read from the jar: the page's own under {@code clusterpool/ui/} and
 * Chart.js from its webjar. Nothing comes from the internet. Every answer says {@code
 * Cache-Control: no-cache} (a page always matches the server it talks to) and {@code
 * Content-Security-Policy: default-src 'self'} (no inline script, nothing from elsewhere). Only
 * plain names are served: no folder, no {@code ..}.
 */
public final class UiAssets {
  static final String FOLDER = "clusterpool/ui/";
  static final String CHART_JS = "chart.umd.js";
  static final String CHART_JS_RESOURCE =
      "META-INF/resources/webjars/chart.js/4.4.1/dist/chart.umd.js";

  /** The page's files are small; a bigger one is not one of them. */
  private static final int MAX_BYTES = 4 << 20;

  static final List<HttpHeader> HEADERS =
      List.of(
          RawHeader.create("Cache-Control", "no-cache"),
          RawHeader.create("Content-Security-Policy", "default-src 'self'"),
          RawHeader.create("X-Content-Type-Options", "nosniff"),
          RawHeader.create("Referrer-Policy", "no-referrer"));

  private final ClassLoader loader;

  public UiAssets() {
    this(UiAssets.class.getClassLoader());
  }

  UiAssets(ClassLoader loader) {
    this.loader = loader;
  }

  /** {@code index.html}, or 404 saying the jar has no page. */
  HttpResponse index() {
    return file("index.html");
  }

  /** The file {@code name} of the page, or Chart.js; 404 for anything else. */
  HttpResponse file(String name) {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,100}") || name.contains(".."))
      return notFound(name);
    String resource = name.equals(CHART_JS) ? CHART_JS_RESOURCE : FOLDER + name;
    Optional<byte[]> bytes = read(resource);
    if (bytes.isEmpty()) return notFound(name);
    return HttpResponse.create()
        .withStatus(StatusCodes.OK)
        .withEntity(HttpEntities.create(contentType(name), bytes.get()))
        .addHeaders(HEADERS);
  }

  private Optional<byte[]> read(String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) return Optional.empty();
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      return bytes.length > MAX_BYTES ? Optional.empty() : Optional.of(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read " + resource + " from the jar: " + e.getMessage(), e);
    }
  }

  static ContentType contentType(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".html")) return ContentTypes.TEXT_HTML_UTF8;
    if (lower.endsWith(".css")) return MediaTypes.TEXT_CSS.toContentType(HttpCharsets.UTF_8);
    if (lower.endsWith(".js"))
      return MediaTypes.APPLICATION_JAVASCRIPT.toContentType(HttpCharsets.UTF_8);
    if (lower.endsWith(".json") || lower.endsWith(".map")) return ContentTypes.APPLICATION_JSON;
    if (lower.endsWith(".svg")) return MediaTypes.IMAGE_SVG_XML.toContentType();
    if (lower.endsWith(".png")) return MediaTypes.IMAGE_PNG.toContentType();
    if (lower.endsWith(".ico")) return MediaTypes.IMAGE_X_ICON.toContentType();
    return ContentTypes.APPLICATION_OCTET_STREAM;
  }

  private static HttpResponse notFound(String name) {
    return Refusals.json(
            StatusCodes.NOT_FOUND,
            "no file " + Echo.quote(name) + " in the dashboard (the jar's " + FOLDER + ")")
        .addHeaders(HEADERS);
  }
}
