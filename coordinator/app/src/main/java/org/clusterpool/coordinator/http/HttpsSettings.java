package org.clusterpool.coordinator.http;

import com.typesafe.config.Config;

/**
 * Whether the HTTP API speaks HTTPS ({@code clusterpool.http.tls-dir}, {@code --http-tls-dir}):
 * with the key and certificate of a directory, on any interface; without, on loopback only, unless
 * {@code insecure-plain-http} ({@code --insecure-plain-http}) says that a proxy in front of it ends
 * TLS.
 *
 * @param dir {@code tls.key} and {@code tls.crt} (PEM); empty: plain HTTP
 */
public record HttpsSettings(String dir, boolean insecurePlainHttp) {
  /** Plain HTTP, on loopback only. */
  public static final HttpsSettings NONE = new HttpsSettings("", false);

  static HttpsSettings fromConfig(Config http) {
    return new HttpsSettings(http.getString("tls-dir"), http.getBoolean("insecure-plain-http"));
  }

  /** HTTPS with the key and certificate of {@code dir}. */
  public HttpsSettings withDir(String dir) {
    return new HttpsSettings(dir, insecurePlainHttp);
  }

  /** Plain HTTP on any interface, as the API behind a proxy that ends TLS. */
  public HttpsSettings withInsecurePlainHttp() {
    return new HttpsSettings(dir, true);
  }
}
