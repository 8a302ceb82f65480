package org.clusterpool.coordinator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/** {@code imap} over 10 million generated inputs in a JVM limited to a 256 MB heap. */
final class StreamingMemory implements Scenario {
  static final long N = 10_000_000;

  @Override
  public String name() {
    return "imap-10m";
  }

  @Override
  public String description() {
    return "imap square over 10,000,000 generated inputs in a JVM with -Xmx256m";
  }

  @Override
  public List<Row> run(BenchContext context) throws Exception {
    String printed =
        ChildProcesses.run(
            ChildProcesses.java(
                List.of("-Xmx256m", "-XX:+UseParallelGC"),
                StreamingProbe.class.getName(),
                Long.toString(N)),
            ProcessBuilder.Redirect.PIPE);
    JsonNode result =
        new ObjectMapper()
            .readTree(printed.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
    return List.of(
        new Row(
            "imap 10M generated inputs, -Xmx256m",
            Figure.perSecond(result.get("count").asDouble(), result.get("seconds").asDouble()),
            null,
            null,
            "items/s; finished within the heap limit"),
        new Row(
            "imap 10M: peak heap used",
            Figure.megabytes(result.get("peak_heap_mb").asDouble()),
            null,
            null,
            String.format(
                java.util.Locale.ROOT,
                "of %.0f MB allowed",
                result.get("max_heap_mb").asDouble())));
  }
}
