package org.clusterpool.coordinator.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Label values are escaped as the text format 0.0.4 says: a queue's name cannot break a line or a
 * label.
 */
class MetricsTextTest {
  @Test
  void labelValuesAreEscaped() {
    assertEquals("a\\\\b\\\"c\\nd", MetricsText.escape("a\\b\"c\nd"));
    ObjectNode json = Snapshots.MAPPER.createObjectNode();
    json.putObject("coordinator").put("answers", true);
    json.putArray("queues")
        .addObject()
        .put("name", "evil\"}\nclusterpool_workers 99")
        .put("node", "n")
        .put("size", 3);
    String text = MetricsText.of(new Snapshot(0, json, json.toString(), List.of(), 0, 7), 0, 0, 1);
    assertTrue(
        text.contains(
            "clusterpool_queue_size{node=\"n\",queue=\"evil\\\"}\\nclusterpool_workers 99\"} 3\n"),
        text);
    assertTrue(text.contains("\nclusterpool_workers 0\n"), "the one real sample: " + text);
    assertTrue(text.contains("\nclusterpool_results_total 7\n"), text);
  }
}
