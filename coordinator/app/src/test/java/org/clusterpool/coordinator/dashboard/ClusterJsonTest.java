package org.clusterpool.coordinator.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.protocol.WorkerInfo;
import org.junit.jupiter.api.Test;

/**
 * The shapes {@code GET /cluster} and the dashboard's snapshot both write, byte for byte as they
 * wrote them before.
 */
class ClusterJsonTest {
  @Test
  void aMemberWithoutItsPidSaysNull() {
    ArrayNode array = Snapshots.MAPPER.createArrayNode();
    ClusterJson.member(
        array,
        new DashboardSources.Member(
            "pekko://a@127.0.0.1:1", List.of("coordinator", "worker"), "Up", false, null));
    ClusterJson.member(
            array,
            new DashboardSources.Member("pekko://a@127.0.0.1:2", List.of(), "Leaving", true, 42L))
        .put("processors", 2);
    assertEquals(
        "[{\"address\":\"pekko://a@127.0.0.1:1\",\"roles\":[\"coordinator\",\"worker\"],\"status\":\"Up\",\"reachable\":false,"
            + "\"pid\":null},{\"address\":\"pekko://a@127.0.0.1:2\",\"roles\":[],\"status\":\"Leaving\",\"reachable\":true,\"pid\":42,"
            + "\"processors\":2}]",
        array.toString());
  }

  @Test
  void aWorkerNamesItsCreditWithThePrefixItsReaderExpects() {
    ClusterStatus.WorkerStatus w =
        new ClusterStatus.WorkerStatus(new WorkerInfo("worker-1", "n", 7), 3, 30, 1, 2, 4, 1);
    ArrayNode page = Snapshots.MAPPER.createArrayNode();
    ClusterJson.worker(page, w, "");
    assertEquals(
        "[{\"name\":\"worker-1\",\"node\":\"n\",\"pid\":7,\"chunks_done\":3,\"inputs_done\":30,\"chunks_in_flight\":1,"
            + "\"async_in_flight\":2,\"capacity\":4,\"batches_out\":1}]",
        page.toString());
    ArrayNode cluster = Snapshots.MAPPER.createArrayNode();
    ClusterJson.worker(cluster, w, "cpu_");
    assertEquals(
        "[{\"name\":\"worker-1\",\"node\":\"n\",\"pid\":7,\"chunks_done\":3,\"inputs_done\":30,\"chunks_in_flight\":1,"
            + "\"async_in_flight\":2,\"cpu_capacity\":4,\"cpu_batches_out\":1}]",
        cluster.toString());
  }

  @Test
  void aCoordinatorThatDoesNotAnswerSaysWhy() {
    ObjectNode json = Snapshots.MAPPER.createObjectNode();
    ClusterJson.coordinator(json, null, false, Duration.ofSeconds(2));
    assertEquals(
        "{\"coordinator\":{\"node\":null,\"answers\":false,\"error\":\"the coordinator did not"
            + " answer within 2 s: no coordinator-role member is up\"}}",
        json.toString());
    ObjectNode up = Snapshots.MAPPER.createObjectNode();
    ClusterJson.coordinator(up, "pekko://a@127.0.0.1:1", true, Duration.ofSeconds(2));
    assertEquals(
        "{\"coordinator\":{\"node\":\"pekko://a@127.0.0.1:1\",\"answers\":true}}", up.toString());
  }
}
