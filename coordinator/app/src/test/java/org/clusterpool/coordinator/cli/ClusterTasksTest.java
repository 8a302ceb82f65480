package org.clusterpool.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import org.clusterpool.coordinator.connect.ApiClient;
import org.junit.jupiter.api.Test;

/**
 * {@code --connect}'s check of a task against what the cluster's {@code GET /tasks} says: refused
 * at once only when every worker node has said what it runs and none has it; a node that joined a
 * moment ago (one just replaced) may have it, and the coordinator waits to know.
 */
class ClusterTasksTest {
  private static final ApiClient ENDPOINT = new ApiClient(URI.create("http://127.0.0.1:1"));
  private static final String MINE = "sha256:0123456789abcdef";

  private static JsonNode answer(int workerNodes, int notSaid, String squareOn) throws Exception {
    String versions =
        squareOn == null
            ? "[]"
            : "[{\"task\":\"cube\",\"kind\":\"cpu\",\"fingerprint\":\""
                + squareOn
                + "\",\"nodes\":"
                + (workerNodes - notSaid)
                + "}]";
    return new ObjectMapper()
        .readTree(
            "{\"tasks\":[{\"name\":\"cube\",\"fingerprint\":\""
                + MINE
                + "\",\"source\":\"cube.jar\"}],\"nodes\":{\"answers\":true,\"worker_nodes\":"
                + workerNodes
                + ",\"worker_nodes_not_said\":"
                + notSaid
                + ",\"versions\":"
                + versions
                + "}}");
  }

  @Test
  void nodesThatHaveNotSaidWhatTheyRunMayHaveTheTask() throws Exception {
    // two nodes replaced a moment ago: neither has said yet what it runs
    assertDoesNotThrow(() -> ClusterTasks.check(ENDPOINT, answer(2, 2, null), "cube", MINE));
    // one node without the task, one that has not said yet
    assertDoesNotThrow(() -> ClusterTasks.check(ENDPOINT, answer(2, 1, null), "cube", MINE));
  }

  @Test
  void whenEveryNodeHasSaidAndNoneHasTheTaskItIsRefusedAtOnce() throws Exception {
    UsageError none =
        assertThrows(
            UsageError.class, () -> ClusterTasks.check(ENDPOINT, answer(2, 0, null), "cube", MINE));
    assertTrue(none.getMessage().contains("2 nodes have no task 'cube'"), none.getMessage());
    UsageError other =
        assertThrows(
            UsageError.class,
            () -> ClusterTasks.check(ENDPOINT, answer(1, 0, "sha256:ffff"), "cube", MINE));
    assertTrue(other.getMessage().contains("1 node has it as sha256:ffff"), other.getMessage());
    assertDoesNotThrow(() -> ClusterTasks.check(ENDPOINT, answer(1, 0, MINE), "cube", MINE));
  }
}
