package org.clusterpool.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** gather --output json prints JSON whatever happens, as map does, or is refused. */
@Timeout(60)
class GatherJsonTest {

  @Test
  void aFailedGatherPrintsAJsonObjectWithItsErrorAsMapDoes() throws Exception {
    MainTest.Run run = MainTest.run("gather", "square:2", "fail:x", "--output", "json");
    assertEquals(1, run.code(), run.err());
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertEquals("fail", json.path("error").path("task").asText(), run.out());
    assertEquals("x", json.path("error").path("input").asText(), run.out());
    assertEquals(1, json.path("error").path("position").asInt(), run.out());
    assertTrue(json.has("elapsed_seconds"), run.out());
    assertTrue(run.err().startsWith("clusterpool: task 'fail' failed"), run.err());
  }

  @Test
  void asCompletedWithJsonIsAUsageError() {
    MainTest.Run run = MainTest.run("gather", "square:2", "--as-completed", "--output", "json");
    assertEquals(2, run.code(), run.err());
    assertEquals("", run.out());
    assertTrue(run.err().contains("--as-completed"), run.err());
    assertEquals(1, run.err().lines().count(), run.err());
  }
}
