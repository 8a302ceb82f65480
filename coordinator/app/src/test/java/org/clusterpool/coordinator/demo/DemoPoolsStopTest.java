package org.clusterpool.coordinator.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A demo returns only once its pool has stopped: the command's JVM exits right after, and a pool
 * still stopping then sees that exit as the crash of its workers (and says so on standard error).
 */
@Timeout(120)
class DemoPoolsStopTest {

  @ParameterizedTest
  @ValueSource(strings = {"pool", "hello", "gather"})
  void theDemosPoolHasStoppedWhenItReturns(String name) throws Exception {
    List<ClusterPool> pools = new ArrayList<>();
    PoolDashboard watch =
        pool -> {
          pools.add(pool);
          return PoolDashboard.NONE_SERVED;
        };
    DemoContext context =
        new DemoContext(new PrintWriter(new StringWriter(), true), 0, 0, List.of(), true, watch);
    Demos.find(name).orElseThrow().run(context);
    assertEquals(1, pools.size(), "the demo runs one pool");
    assertTrue(pools.get(0).join(Duration.ZERO), "the pool had stopped when the demo returned");
  }

  @Test
  void thePoolDemoRunsOnTheWorkerJvmsOfNodes() throws Exception {
    StringWriter text = new StringWriter();
    Demos.find("pool").orElseThrow().run(new DemoContext(new PrintWriter(text, true), 1, 1));
    String out = text.toString();
    assertTrue(out.contains("ClusterPool.builder().workersPerNode(1).local(1)"), out);
    Matcher pids = Pattern.compile("ran on worker-\\d+ \\(pid (\\d+)\\)").matcher(out);
    int rows = 0;
    while (pids.find()) {
      rows++;
      assertNotEquals(
          Long.toString(ProcessHandle.current().pid()), pids.group(1), "on a worker JVM: " + out);
    }
    assertEquals(5, rows, out);
    assertTrue(out.contains("between this JVM and the worker JVMs"), out);
  }
}
