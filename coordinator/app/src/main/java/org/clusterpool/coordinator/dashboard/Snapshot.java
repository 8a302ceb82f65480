package org.clusterpool.coordinator.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What the dashboard shows at one moment, made once for every page and {@code /metrics} that asks
 * within {@link Snapshots#MAX_AGE}: {@code json} holds every field of the feed's event but the
 * spans; {@code spans} those kept (the last minute), which each connection cuts to what it has not
 * sent yet. Never changed once made.
 */
record Snapshot(
    long atMillis,
    ObjectNode json,
    String jsonText,
    List<SpanLog.Row> spans,
    long lastSeq,
    long resultsTotal) {}
