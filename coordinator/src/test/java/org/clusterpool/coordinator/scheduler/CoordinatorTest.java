package org.clusterpool.coordinator.scheduler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.clusterpool.node.protocol.Chunk;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.protocol.JobEvent;
import org.clusterpool.node.protocol.UnitResult;
import org.clusterpool.node.protocol.WorkUnit;
import org.clusterpool.node.protocol.WorkerInfo;
import org.clusterpool.node.task.TaskCatalog;
import org.clusterpool.node.wire.Values;
import org.clusterpool.node.worker.Worker;
import org.clusterpool.node.worker.WorkerNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The coordinator with test probes for its workers and its clients. */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoordinatorTest {

  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  private static final CoordinatorSettings SETTINGS =
      new CoordinatorSettings(Duration.ofMinutes(10), 3, 3, Duration.ofSeconds(10), 2_000_000, 1024, Duration.ofMillis(100));

  private ActorRef<CoordinatorProtocol.Command> coordinator(CoordinatorSettings settings) {
    return testKit.spawn(Coordinator.create(TaskCatalog.shared(), settings));
  }

  /** A probe posing as a worker that asked for {@code cpuCredit} batches. */
  private TestProbe<Worker.Command> worker(
      ActorRef<CoordinatorProtocol.Command> coordinator, TestProbe<WorkerNode.Command> node, String name, int cpuCredit) {
    TestProbe<Worker.Command> worker = testKit.createTestProbe(name);
    coordinator.tell(new CoordinatorProtocol.RequestWork(
        worker.getRef(), node.getRef(), new WorkerInfo(name, "pekko://test", 1), cpuCredit, 0));
    return worker;
  }

  private static Chunk chunk(long seq, long first, int count) {
    return new Chunk(seq, first - 1, new Values.LongRange(first, count));
  }

  private static UnitResult squares(WorkUnit unit) {
    return squares(unit, 1000);
  }

  /** The unit's squares, as if computing them took {@code nanos}. */
  private static UnitResult squares(WorkUnit unit, long nanos) {
    Values.LongRange inputs = (Values.LongRange) unit.inputs();
    long[] out = new long[inputs.count()];
    for (int i = 0; i < out.length; i++) out[i] = (inputs.start() + i) * (inputs.start() + i);
    return new UnitResult(unit.unitId(), unit.jobId(), new Values.Longs(out), List.of(), nanos);
  }

  @Test
  void aChunkWhoseWorkerCrashesRunsAgainOneInputAtATimeAndEachResultArrivesOnce() {
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator(SETTINGS);
    TestProbe<WorkerNode.Command> node = testKit.createTestProbe();
    TestProbe<JobEvent> client = testKit.createTestProbe();
    TestProbe<Worker.Command> first = worker(coordinator, node, "worker-a", 1);

    coordinator.tell(new CoordinatorProtocol.SubmitJob("j1", "square", List.of(chunk(0, 1, 3)), true, client.getRef()));
    WorkUnit unit = first.expectMessageClass(Worker.Assign.class).units().get(0);

    TestProbe<Worker.Command> second = worker(coordinator, node, "worker-b", 2);
    second.expectNoMessage(Duration.ofMillis(100)); // nothing to give it: the chunk is taken
    first.stop(); // the worker dies holding the chunk

    JobEvent.ChunkRetried retried = client.expectMessageClass(JobEvent.ChunkRetried.class);
    assertEquals(0, retried.seq());
    assertTrue(retried.reason().contains("worker-a"), retried.reason());
    // its inputs run again one at a time, in quarantine, even though the worker could take two batches
    for (int i = 0; i < 3; i++) {
      Worker.Assign again = second.expectMessageClass(Worker.Assign.class);
      assertEquals(1, again.units().size());
      WorkUnit single = again.units().get(0);
      assertEquals(i, single.offset());
      assertEquals(new Values.LongRange(1 + i, 1), single.inputs());
      second.expectNoMessage(Duration.ofMillis(50)); // the next suspect waits for this one
      coordinator.tell(new CoordinatorProtocol.UnitsDone(second.getRef(), List.of(squares(single)), 1, 0));
      JobEvent.PartDone done = client.expectMessageClass(JobEvent.PartsDone.class).parts().get(0);
      assertEquals(i, done.offset());
      assertArrayEquals(new long[] {(1 + i) * (1 + i)}, ((Values.Longs) done.outputs()).values());
    }
    // the first worker's result for the whole chunk, arriving late, is dropped
    coordinator.tell(new CoordinatorProtocol.UnitsDone(first.getRef(), List.of(squares(unit)), 1, 0));
    client.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void aSuspectThatNeverEndsStopsHoldingTheOthersBackAfterThePatience() {
    CoordinatorSettings patient =
        new CoordinatorSettings(Duration.ofMinutes(10), 3, 3, Duration.ofSeconds(1), 2_000_000, 1024, Duration.ofMillis(50));
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator(patient);
    TestProbe<WorkerNode.Command> node = testKit.createTestProbe();
    TestProbe<JobEvent> client = testKit.createTestProbe();
    TestProbe<Worker.Command> first = worker(coordinator, node, "worker-a", 1);
    coordinator.tell(new CoordinatorProtocol.SubmitJob("p", "square", List.of(chunk(0, 1, 2)), true, client.getRef()));
    first.expectMessageClass(Worker.Assign.class);
    first.stop(); // both inputs become suspects
    client.expectMessageClass(JobEvent.ChunkRetried.class);

    TestProbe<Worker.Command> second = worker(coordinator, node, "worker-b", 2);
    WorkUnit hanging = second.expectMessageClass(Worker.Assign.class).units().get(0);
    assertEquals(0, hanging.offset());
    second.expectNoMessage(Duration.ofMillis(100)); // in quarantine: the other suspect waits
    // input 1 never answers; once the patience is over, input 2 starts beside it
    WorkUnit next = second.expectMessageClass(Worker.Assign.class, Duration.ofSeconds(5)).units().get(0);
    assertEquals(1, next.offset());
    coordinator.tell(new CoordinatorProtocol.UnitsDone(second.getRef(), List.of(squares(next)), 0, 0));
    assertEquals(1, client.expectMessageClass(JobEvent.PartsDone.class).parts().get(0).offset());
    coordinator.tell(new CoordinatorProtocol.UnitsDone(second.getRef(), List.of(squares(hanging)), 0, 0));
    assertEquals(0, client.expectMessageClass(JobEvent.PartsDone.class).parts().get(0).offset());
  }

  @Test
  void theInputThatKeepsKillingWorkersFailsAndTheOthersComplete() {
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator(SETTINGS);
    TestProbe<WorkerNode.Command> node = testKit.createTestProbe();
    TestProbe<JobEvent> client = testKit.createTestProbe();
    TestProbe<Worker.Command> w1 = worker(coordinator, node, "w1", 1);
    coordinator.tell(new CoordinatorProtocol.SubmitJob("k", "square", List.of(chunk(0, 1, 3)), true, client.getRef()));
    w1.expectMessageClass(Worker.Assign.class);
    w1.stop(); // crash 1: the whole chunk is suspect
    client.expectMessageClass(JobEvent.ChunkRetried.class);
    List<String> crashed = new ArrayList<>(List.of("w1"));
    long[] results = new long[3];
    int failures = 0;
    int finished = 0;
    for (int round = 2; finished < 3; round++) {
      TestProbe<Worker.Command> w = worker(coordinator, node, "w" + round, 1);
      WorkUnit single = w.expectMessageClass(Worker.Assign.class).units().get(0);
      if (single.offset() == 1) { // input 2 kills whoever runs it
        w.stop();
        crashed.add("w" + round);
        JobEvent event = client.expectMessageClass(JobEvent.class);
        if (event instanceof JobEvent.PartsDone failed) {
          String message = failed.parts().get(0).errors().get(0).error().message();
          assertTrue(message.startsWith("input 1 crashed 3 workers"), message);
          failures++;
          finished++;
        }
      } else {
        // it grants no new credit: the next suspect goes to the next new worker
        coordinator.tell(new CoordinatorProtocol.UnitsDone(w.getRef(), List.of(squares(single)), 0, 0));
        JobEvent.PartDone done = client.expectMessageClass(JobEvent.PartsDone.class).parts().get(0);
        results[done.offset()] = ((Values.Longs) done.outputs()).values()[0];
        finished++;
      }
    }
    assertEquals(1, failures);
    assertEquals(3, crashed.size(), "the input crashed three workers: " + crashed);
    assertArrayEquals(new long[] {1, 0, 9}, results);
  }

  @Test
  void aChunkPastItsDeadlineRunsAgainAndOnlyTheFirstResultCounts() {
    CoordinatorSettings quick = new CoordinatorSettings(Duration.ofMillis(200), 3, 3, Duration.ofSeconds(10), 2_000_000, 1024, Duration.ofMillis(50));
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator(quick);
    TestProbe<WorkerNode.Command> node = testKit.createTestProbe();
    TestProbe<JobEvent> client = testKit.createTestProbe();
    TestProbe<Worker.Command> slow = worker(coordinator, node, "slow", 1);
    coordinator.tell(new CoordinatorProtocol.SubmitJob("j2", "square", List.of(chunk(0, 5, 1)), true, client.getRef()));
    WorkUnit unit = slow.expectMessageClass(Worker.Assign.class).units().get(0);
    TestProbe<Worker.Command> fast = worker(coordinator, node, "fast", 1);

    assertTrue(client.expectMessageClass(JobEvent.ChunkRetried.class).reason().contains("deadline"));
    assertEquals(unit, fast.expectMessageClass(Worker.Assign.class).units().get(0));
    coordinator.tell(new CoordinatorProtocol.UnitsDone(slow.getRef(), List.of(squares(unit)), 1, 0));
    coordinator.tell(new CoordinatorProtocol.UnitsDone(fast.getRef(), List.of(squares(unit)), 1, 0));
    assertArrayEquals(new long[] {25}, ((Values.Longs) client.expectMessageClass(JobEvent.PartsDone.class).parts().get(0).outputs()).values());
    client.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void aChunkPastItsDeadlineTooOftenFailsItsInputsWithTheReason() {
    CoordinatorSettings quick = new CoordinatorSettings(Duration.ofMillis(100), 2, 3, Duration.ofSeconds(10), 2_000_000, 1024, Duration.ofMillis(50));
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator(quick);
    TestProbe<WorkerNode.Command> node = testKit.createTestProbe();
    TestProbe<JobEvent> client = testKit.createTestProbe();
    TestProbe<Worker.Command> stuck = worker(coordinator, node, "stuck", 2);
    coordinator.tell(new CoordinatorProtocol.SubmitJob("j3", "square", List.of(chunk(0, 1, 2)), true, client.getRef()));
    stuck.expectMessageClass(Worker.Assign.class);
    client.expectMessageClass(JobEvent.ChunkRetried.class);
    stuck.expectMessageClass(Worker.Assign.class);
    JobEvent.PartDone failed = client.expectMessageClass(JobEvent.PartsDone.class).parts().get(0);
    assertEquals(2, failed.errors().size());
    String message = failed.errors().get(0).error().message();
    assertTrue(message.startsWith("chunk 0 (inputs 0..1) ran out of time 2 times"), message);
  }

  @Test
  void jobsTakeTurns() {
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator(SETTINGS);
    TestProbe<WorkerNode.Command> node = testKit.createTestProbe();
    TestProbe<JobEvent> client = testKit.createTestProbe();
    List<Chunk> chunks = List.of(chunk(0, 1, 1), chunk(1, 2, 1), chunk(2, 3, 1));
    coordinator.tell(new CoordinatorProtocol.SubmitJob("a", "square", chunks, true, client.getRef()));
    coordinator.tell(new CoordinatorProtocol.SubmitJob("b", "square", chunks, true, client.getRef()));
    TestProbe<Worker.Command> worker = worker(coordinator, node, "only", 1);
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      WorkUnit unit = worker.expectMessageClass(Worker.Assign.class).units().get(0);
      order.add(unit.jobId());
      // 10 ms a chunk, above the batch target: one chunk a batch, so each turn shows
      coordinator.tell(new CoordinatorProtocol.UnitsDone(worker.getRef(), List.of(squares(unit, 10_000_000)), 1, 0));
    }
    assertEquals(List.of("a", "b", "a", "b", "a", "b"), order);
  }

  @Test
  void cheapChunksTravelTogetherOnceTheirCostIsKnown() {
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator(SETTINGS);
    TestProbe<WorkerNode.Command> node = testKit.createTestProbe();
    TestProbe<JobEvent> client = testKit.createTestProbe();
    List<Chunk> chunks = new ArrayList<>();
    for (int i = 0; i < 50; i++) chunks.add(chunk(i, i + 1, 1));
    coordinator.tell(new CoordinatorProtocol.SubmitJob("cheap", "square", chunks, true, client.getRef()));
    TestProbe<Worker.Command> worker = worker(coordinator, node, "w", 1);
    Worker.Assign first = worker.expectMessageClass(Worker.Assign.class);
    assertEquals(1, first.units().size(), "the cost is unknown: one chunk");
    coordinator.tell(new CoordinatorProtocol.UnitsDone(worker.getRef(), List.of(squares(first.units().get(0))), 1, 0));
    assertEquals(49, worker.expectMessageClass(Worker.Assign.class).units().size(), "1 µs each: all in one batch");
  }

  @Test
  void cancellingAJobDropsItsQueueAndTellsTheNodes() {
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator(SETTINGS);
    TestProbe<WorkerNode.Command> node = testKit.createTestProbe();
    TestProbe<JobEvent> client = testKit.createTestProbe();
    TestProbe<Worker.Command> worker = worker(coordinator, node, "w", 1);
    coordinator.tell(new CoordinatorProtocol.SubmitJob("c", "square", List.of(chunk(0, 1, 1), chunk(1, 2, 1)), false, client.getRef()));
    WorkUnit running = worker.expectMessageClass(Worker.Assign.class).units().get(0);
    coordinator.tell(new CoordinatorProtocol.CancelJob("c", "test"));
    assertEquals(new WorkerNode.CancelJob("c"), node.expectMessageClass(WorkerNode.CancelJob.class));
    coordinator.tell(new CoordinatorProtocol.UnitsDone(worker.getRef(), List.of(squares(running)), 1, 0));
    worker.expectNoMessage(Duration.ofMillis(200)); // the queued chunk is gone
    client.expectNoMessage(Duration.ofMillis(100)); // and the running one's result with it

    TestProbe<ClusterStatus> status = testKit.createTestProbe();
    coordinator.tell(new CoordinatorProtocol.GetStatus(status.getRef()));
    ClusterStatus seen = status.expectMessageClass(ClusterStatus.class);
    assertEquals(List.of(), seen.jobs());
    assertEquals(1, seen.workers().get(0).chunksDone() + 1, "the dropped result is not counted as done");
  }

  @Test
  void anUnknownTaskIsRejected() {
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator(SETTINGS);
    TestProbe<JobEvent> client = testKit.createTestProbe();
    coordinator.tell(new CoordinatorProtocol.SubmitJob("x", "carre", List.of(), true, client.getRef()));
    JobEvent.JobRejected rejected = client.expectMessageClass(JobEvent.JobRejected.class);
    assertTrue(rejected.reason().startsWith("unknown task 'carre': accepted:"), rejected.reason());
  }
}
