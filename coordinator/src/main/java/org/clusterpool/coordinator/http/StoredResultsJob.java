package org.clusterpool.coordinator.http;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * An API job whose results are kept in a {@link ResultStore}, as both kinds of job ({@code map} and {@code gather})
 * keep them: what the registry and the streams ask of the results (how many, their JSON, their heap) is answered
 * here once. {@link ApiJob} itself stays free of the store, so that a test's job may hold its results as it likes.
 */
abstract class StoredResultsJob<R> extends ApiJob {
  protected final ResultStore<R> results;

  StoredResultsJob(String id, long total, ResultStore<R> results) {
    super(id, total);
    this.results = results;
  }

  @Override
  int available() {
    return results.size();
  }

  @Override
  void writeResult(JsonGenerator json, int index) throws IOException {
    results.write(json, index);
  }

  @Override
  long resultBytes() {
    return results.bytes();
  }

  @Override
  long resultBytesAt(long count) {
    return results.bytesAt(count);
  }
}
