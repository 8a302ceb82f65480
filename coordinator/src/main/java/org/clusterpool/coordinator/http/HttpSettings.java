package org.clusterpool.coordinator.http;

import com.typesafe.config.Config;
import java.time.Duration;
import org.clusterpool.coordinator.input.InputLimits;

/** {@code clusterpool.http} and the input limits the API checks requests against. */
public record HttpSettings(
    String iface,
    int port,
    long maxResults,
    Duration keepFinished,
    int maxRunningJobs,
    long maxBody,
    int pageSize,
    Duration heartbeat,
    InputLimits inputLimits) {

  public static HttpSettings fromConfig(Config config) {
    Config http = config.getConfig("clusterpool.http");
    return new HttpSettings(
        http.getString("interface"),
        http.getInt("port"),
        http.getLong("max-results"),
        http.getDuration("keep-finished"),
        http.getInt("max-running-jobs"),
        http.getBytes("max-body"),
        http.getInt("page-size"),
        http.getDuration("heartbeat"),
        InputLimits.fromConfig(config));
  }

  /** The same settings on another interface and port (0: any free port). */
  public HttpSettings withAddress(String iface, int port) {
    return new HttpSettings(iface, port, maxResults, keepFinished, maxRunningJobs, maxBody, pageSize, heartbeat, inputLimits);
  }
}
