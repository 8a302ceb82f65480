package org.clusterpool.coordinator.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What one connection's events carry of the spans: the first, the last minute's (at most {@link
 * Feed#MAX_SPANS}, the newest); each later one only those new to it.
 */
class FeedConnectionTest {
  private static final long NOW = 1_764_900_000_000L;

  private static Snapshot snapshot(long at, List<SpanLog.Row> rows) {
    ObjectNode json = Snapshots.MAPPER.createObjectNode().put("at", at);
    long last = rows.isEmpty() ? 0 : rows.get(rows.size() - 1).seq();
    return new Snapshot(at, json, json.toString(), rows, last, 0);
  }

  private static SpanLog.Row row(long seq, long end) {
    return new SpanLog.Row(seq, end, "{\"seq\":" + seq + "}");
  }

  private static List<Long> seqs(String event) throws Exception {
    JsonNode json = Snapshots.MAPPER.readTree(event);
    List<Long> seqs = new ArrayList<>();
    for (JsonNode span : json.path("spans")) seqs.add(span.path("seq").asLong());
    return seqs;
  }

  @Test
  void theFirstEventCarriesTheLastMinuteAndTheNextOnlyWhatIsNew() throws Exception {
    List<SpanLog.Row> rows =
        new ArrayList<>(List.of(row(1, NOW - 70_000), row(2, NOW - 30_000), row(3, NOW - 10)));
    Feed.Connection connection = new Feed.Connection();
    assertEquals(
        List.of(2L, 3L),
        seqs(connection.render(snapshot(NOW, rows))),
        "older than a minute: left out");
    rows.add(row(4, NOW + 400));
    assertEquals(List.of(4L), seqs(connection.render(snapshot(NOW + 500, rows))));
    assertEquals(List.of(), seqs(connection.render(snapshot(NOW + 1000, rows))), "nothing new");
    assertEquals(
        List.of(2L, 3L, 4L),
        seqs(new Feed.Connection().render(snapshot(NOW + 1000, rows))),
        "another page: its own");
  }

  @Test
  void anEventCarriesAtMostItsShareOfSpansTheNewest() throws Exception {
    List<SpanLog.Row> rows = new ArrayList<>();
    for (int i = 1; i <= Feed.MAX_SPANS + 100; i++) rows.add(row(i, NOW));
    List<Long> sent = seqs(new Feed.Connection().render(snapshot(NOW, rows)));
    assertEquals(Feed.MAX_SPANS, sent.size());
    assertEquals(101L, sent.get(0));
    assertEquals((long) Feed.MAX_SPANS + 100, sent.get(sent.size() - 1));
  }
}
