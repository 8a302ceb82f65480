package org.clusterpool.coordinator.http;

import com.typesafe.config.Config;
import java.time.Duration;
import org.clusterpool.coordinator.input.InputLimits;

/**
 * {@code clusterpool.http} and the input limits the API checks requests against.
 *
 * @param maxResults results (inputs, calls) of one job at most
 * @param maxResultBytes the heap the API's jobs may hold in all: results, and inputs while a job
 *     runs
 * @param maxKeptJobs jobs kept at most, running and finished
 * @param maxPageBytes the most one answer of {@code GET /jobs} or {@code GET /jobs/{id}} writes
 * @param maxLineBytes the most one line of a job's stream writes
 * @param healthTimeout how long {@code GET /health} and the Kubernetes checks wait for the
 *     coordinator
 * @param access the token requests carry, and the hosts they may name
 * @param https HTTPS, or plain HTTP on loopback
 */
public record HttpSettings(
    String iface,
    int port,
    long maxResults,
    long maxResultBytes,
    Duration keepFinished,
    int maxKeptJobs,
    int maxRunningJobs,
    long maxBody,
    int pageSize,
    long maxPageBytes,
    long maxLineBytes,
    Duration heartbeat,
    Duration healthTimeout,
    InputLimits inputLimits,
    AccessSettings access,
    HttpsSettings https) {

  public HttpSettings {
    if (maxResults < 1
        || maxResultBytes < 1
        || maxKeptJobs < 1
        || maxRunningJobs < 1
        || maxBody < 1
        || pageSize < 1
        || maxPageBytes < 1024
        || maxLineBytes < 1024) {
      throw new IllegalArgumentException(
          "clusterpool.http: the limits must be positive (and a page or a line at least"
              + " 1 KiB)");
    }
    if (maxRunningJobs > maxKeptJobs) {
      throw new IllegalArgumentException(
          "clusterpool.http.max-running-jobs ("
              + maxRunningJobs
              + ") must not pass"
              + " clusterpool.http.max-kept-jobs ("
              + maxKeptJobs
              + "): a running job is kept");
    }
  }

  public static HttpSettings fromConfig(Config config) {
    Config http = config.getConfig("clusterpool.http");
    return new HttpSettings(
        http.getString("interface"),
        http.getInt("port"),
        http.getLong("max-results"),
        http.getBytes("max-result-bytes"),
        http.getDuration("keep-finished"),
        http.getInt("max-kept-jobs"),
        http.getInt("max-running-jobs"),
        http.getBytes("max-body"),
        http.getInt("page-size"),
        http.getBytes("max-page-bytes"),
        http.getBytes("max-line-bytes"),
        http.getDuration("heartbeat"),
        http.getDuration("health-timeout"),
        InputLimits.fromConfig(config),
        AccessSettings.fromConfig(http),
        HttpsSettings.fromConfig(http));
  }

  /** The same settings on another interface and port (0: any free port). */
  public HttpSettings withAddress(String iface, int port) {
    return new HttpSettings(
        iface,
        port,
        maxResults,
        maxResultBytes,
        keepFinished,
        maxKeptJobs,
        maxRunningJobs,
        maxBody,
        pageSize,
        maxPageBytes,
        maxLineBytes,
        heartbeat,
        healthTimeout,
        inputLimits,
        access,
        https);
  }

  public HttpSettings withHeartbeat(Duration heartbeat) {
    return new HttpSettings(
        iface,
        port,
        maxResults,
        maxResultBytes,
        keepFinished,
        maxKeptJobs,
        maxRunningJobs,
        maxBody,
        pageSize,
        maxPageBytes,
        maxLineBytes,
        heartbeat,
        healthTimeout,
        inputLimits,
        access,
        https);
  }

  /** Other limits on what jobs hold: results per job, bytes in all, jobs kept, jobs running. */
  public HttpSettings withJobLimits(
      long maxResults, long maxResultBytes, int maxKeptJobs, int maxRunningJobs) {
    return new HttpSettings(
        iface,
        port,
        maxResults,
        maxResultBytes,
        keepFinished,
        maxKeptJobs,
        maxRunningJobs,
        maxBody,
        pageSize,
        maxPageBytes,
        maxLineBytes,
        heartbeat,
        healthTimeout,
        inputLimits,
        access,
        https);
  }

  /** Other limits on what requests and answers carry: a body, a page, a line of a stream. */
  public HttpSettings withMessageLimits(long maxBody, long maxPageBytes, long maxLineBytes) {
    return new HttpSettings(
        iface,
        port,
        maxResults,
        maxResultBytes,
        keepFinished,
        maxKeptJobs,
        maxRunningJobs,
        maxBody,
        pageSize,
        maxPageBytes,
        maxLineBytes,
        heartbeat,
        healthTimeout,
        inputLimits,
        access,
        https);
  }

  /** Other access settings: a token given, a token file, no token. */
  public HttpSettings withAccess(AccessSettings access) {
    return new HttpSettings(
        iface,
        port,
        maxResults,
        maxResultBytes,
        keepFinished,
        maxKeptJobs,
        maxRunningJobs,
        maxBody,
        pageSize,
        maxPageBytes,
        maxLineBytes,
        heartbeat,
        healthTimeout,
        inputLimits,
        access,
        https);
  }

  /** HTTPS with a directory's key and certificate, or plain HTTP. */
  public HttpSettings withHttps(HttpsSettings https) {
    return new HttpSettings(
        iface,
        port,
        maxResults,
        maxResultBytes,
        keepFinished,
        maxKeptJobs,
        maxRunningJobs,
        maxBody,
        pageSize,
        maxPageBytes,
        maxLineBytes,
        heartbeat,
        healthTimeout,
        inputLimits,
        access,
        https);
  }
}
