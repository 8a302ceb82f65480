package org.clusterpool.node.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.protocol.UnitResult;
import org.clusterpool.node.protocol.WorkUnit;
import org.clusterpool.node.task.AsyncTask;
import org.clusterpool.node.task.TaskCatalog;
import org.clusterpool.node.task.TaskContext;
import org.clusterpool.node.task.TaskKind;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;
import org.clusterpool.node.task.builtin.Fail;
import org.clusterpool.node.task.builtin.Sleep;
import org.clusterpool.node.task.builtin.Square;
import org.clusterpool.node.task.builtin.WhoAmI;
import org.clusterpool.node.wire.Values;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** A worker with a test probe for a coordinator: what it asks for, what it answers, what it stops. */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerTest {

  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  /** An async task that waits a long time and keeps its wait, so the test can see it cancelled. */
  static final class Hold implements AsyncTask<Double, Double> {
    static final Queue<CompletableFuture<Void>> WAITS = new ConcurrentLinkedQueue<>();

    @Override public String name() { return "hold"; }
    @Override public String description() { return "waits, and lets the test see the wait"; }
    @Override public ValueType<Double> inputType() { return ValueTypes.DOUBLE; }
    @Override public ValueType<Double> outputType() { return ValueTypes.DOUBLE; }

    @Override
    public CompletionStage<Double> apply(Double seconds, TaskContext context) {
      CompletableFuture<Void> wait = context.sleep(Duration.ofMillis((long) (seconds * 1000)));
      WAITS.add(wait);
      return wait.thenApply(done -> seconds);
    }
  }

  private static final TaskCatalog CATALOG =
      TaskCatalog.of(List.of(new Square(), new Fail(), new Sleep(), new Hold(), new WhoAmI()));
  private static final WorkerSettings SETTINGS = new WorkerSettings(1, 2, 100, 1 << 20, Long.MAX_VALUE);

  private final Set<String> cancelled = ConcurrentHashMap.newKeySet();

  private record Started(ActorRef<Worker.Command> worker, TestProbe<CoordinatorProtocol.Command> coordinator) {}

  private Started current;
  private int started;

  /** A worker, and a probe that is the only coordinator the receptionist knows while the test runs. */
  private Started startWorker() {
    return startWorker(SETTINGS);
  }

  private Started startWorker(WorkerSettings settings) {
    TestProbe<CoordinatorProtocol.Command> coordinator = testKit.createTestProbe();
    TestProbe<WorkerNode.Command> node = testKit.createTestProbe();
    testKit.system().receptionist().tell(Receptionist.register(CoordinatorProtocol.SERVICE_KEY, coordinator.getRef()));
    ActorRef<Worker.Command> worker =
        testKit.spawn(Worker.create(settings, CATALOG, node.getRef(), cancelled, false), "worker-" + (++started));
    current = new Started(worker, coordinator);
    CoordinatorProtocol.RequestWork request = coordinator.expectMessageClass(CoordinatorProtocol.RequestWork.class);
    assertEquals(worker, request.worker());
    assertEquals(2, request.cpuCredit());
    assertEquals(100, request.asyncCredit());
    return current;
  }

  @AfterEach
  void stopWorker() {
    if (current == null) return;
    testKit.stop(current.worker());
    TestProbe<Receptionist.Deregistered> deregistered = testKit.createTestProbe();
    testKit.system().receptionist().tell(
        Receptionist.deregister(CoordinatorProtocol.SERVICE_KEY, current.coordinator().getRef(), deregistered.getRef()));
    deregistered.expectMessageClass(Receptionist.Deregistered.class);
    current = null;
  }

  private static WorkUnit unit(long id, String job, String task, long seq, Values inputs) {
    return new WorkUnit(id, job, task, seq, 0, seq * 100, inputs);
  }

  @Test
  void runsABatchAndGivesItsCreditBack() {
    Started s = startWorker();
    s.worker().tell(new Worker.Assign(
        TaskKind.CPU,
        List.of(unit(1, "j1", "square", 0, new Values.LongRange(1, 4)), unit(2, "j1", "square", 1, new Values.Longs(new long[] {10}))),
        s.coordinator().getRef()));
    CoordinatorProtocol.UnitsDone done = s.coordinator().expectMessageClass(CoordinatorProtocol.UnitsDone.class);
    assertEquals(1, done.cpuCredit());
    assertEquals(2, done.results().size());
    assertArrayEquals(new long[] {1, 4, 9, 16}, ((Values.Longs) done.results().get(0).outputs()).values());
    assertArrayEquals(new long[] {100}, ((Values.Longs) done.results().get(1).outputs()).values());
  }

  @Test
  void aFailingInputFailsAloneAndTheWorkerGoesOn() {
    Started s = startWorker();
    s.worker().tell(new Worker.Assign(
        TaskKind.CPU,
        List.of(unit(1, "j2", "square", 0, new Values.Longs(new long[] {2, 3_037_000_500L, 4}))),
        s.coordinator().getRef()));
    UnitResult result = s.coordinator().expectMessageClass(CoordinatorProtocol.UnitsDone.class).results().get(0);
    assertEquals(1, result.errors().size());
    assertEquals(1, result.errors().get(0).index());
    assertEquals("java.lang.ArithmeticException", result.errors().get(0).error().type());
    String where = result.errors().get(0).error().where();
    assertTrue(where.startsWith("worker-") && where.contains("pid " + ProcessHandle.current().pid()), where);
    assertEquals(4, ((Values.Longs) result.outputs()).values()[0]);
    assertEquals(16, ((Values.Longs) result.outputs()).values()[2]);

    s.worker().tell(new Worker.Assign(
        TaskKind.CPU, List.of(unit(2, "j2", "fail", 1, new Values.Texts(List.of("boom")))), s.coordinator().getRef()));
    UnitResult failed = s.coordinator().expectMessageClass(CoordinatorProtocol.UnitsDone.class).results().get(0);
    assertEquals("boom", failed.errors().get(0).error().message());

    s.worker().tell(new Worker.Assign(
        TaskKind.CPU, List.of(unit(3, "j2", "square", 2, new Values.LongRange(7, 1))), s.coordinator().getRef()));
    assertArrayEquals(new long[] {49}, ((Values.Longs) s.coordinator()
        .expectMessageClass(CoordinatorProtocol.UnitsDone.class).results().get(0).outputs()).values());
  }

  @Test
  void aTaskMissingFromTheCatalogFailsItsInputs() {
    Started s = startWorker();
    s.worker().tell(new Worker.Assign(
        TaskKind.CPU, List.of(unit(1, "j3", "rm-rf", 0, new Values.Texts(List.of("/")))), s.coordinator().getRef()));
    UnitResult result = s.coordinator().expectMessageClass(CoordinatorProtocol.UnitsDone.class).results().get(0);
    assertTrue(result.errors().get(0).error().message().contains("not in the catalog"));
  }

  @Test
  void skipsQueuedUnitsOfACancelledJob() {
    Started s = startWorker();
    cancelled.add("j4");
    s.worker().tell(new Worker.Assign(
        TaskKind.CPU, List.of(unit(1, "j4", "square", 0, new Values.LongRange(1, 3))), s.coordinator().getRef()));
    CoordinatorProtocol.UnitsDone done = s.coordinator().expectMessageClass(CoordinatorProtocol.UnitsDone.class);
    assertEquals(List.of(), done.results());
    assertEquals(1, done.cpuCredit());
  }

  @Test
  void holdsAsyncCallsWithoutAThreadAndAnswersEachUnit() {
    Started s = startWorker();
    s.worker().tell(new Worker.Assign(
        TaskKind.ASYNC,
        List.of(unit(1, "j5", "sleep", 0, new Values.Doubles(new double[] {0.2, 0.1})), unit(2, "j5", "sleep", 1, new Values.Doubles(new double[] {0.0}))),
        s.coordinator().getRef()));
    CoordinatorProtocol.UnitsDone first = s.coordinator().expectMessageClass(CoordinatorProtocol.UnitsDone.class);
    CoordinatorProtocol.UnitsDone second = s.coordinator().expectMessageClass(CoordinatorProtocol.UnitsDone.class);
    assertEquals(2, first.results().get(0).unitId(), "the shorter unit answers first");
    assertEquals(1, first.asyncCredit());
    assertArrayEquals(new double[] {0.2, 0.1}, ((Values.Doubles) second.results().get(0).outputs()).values());
    assertEquals(2, second.asyncCredit());
  }

  @Test
  void cancellingAJobStopsItsAsyncCallsOnTheWorker() {
    Started s = startWorker();
    Hold.WAITS.clear();
    s.worker().tell(new Worker.Assign(
        TaskKind.ASYNC, List.of(unit(1, "j6", "hold", 0, new Values.Doubles(new double[] {600, 600, 600}))), s.coordinator().getRef()));
    s.coordinator().awaitAssert(() -> {
      assertEquals(3, Hold.WAITS.size());
      return null;
    });
    s.worker().tell(new Worker.CancelJob("j6"));
    CoordinatorProtocol.UnitsDone done = s.coordinator().expectMessageClass(CoordinatorProtocol.UnitsDone.class);
    assertEquals(List.of(), done.results());
    assertEquals(3, done.asyncCredit(), "the cancelled calls' credit comes back at once");
    for (CompletableFuture<Void> wait : Hold.WAITS) assertTrue(wait.isCancelled(), "the timer of a cancelled call is cancelled");
  }

  @Test
  void resultsTooLargeForAMessageFailWithTheReasonAndOthersComeInSeveralMessages() {
    Started s = startWorker(new WorkerSettings(1, 2, 100, 64, 1000));
    s.worker().tell(new Worker.Assign(
        TaskKind.CPU,
        List.of(
            unit(1, "j8", "square", 0, new Values.LongRange(1, 6)), // 48 bytes of results
            unit(2, "j8", "square", 1, new Values.LongRange(1, 6)),
            unit(3, "j8", "square", 2, new Values.LongRange(1, 200))), // 1600 bytes: over the 1000 limit
        s.coordinator().getRef()));
    CoordinatorProtocol.UnitsDone first = s.coordinator().expectMessageClass(CoordinatorProtocol.UnitsDone.class);
    assertEquals(1, first.results().size(), "64 bytes a message: the second result goes in another");
    assertEquals(0, first.cpuCredit(), "the credit comes with the last message");
    CoordinatorProtocol.UnitsDone second = s.coordinator().expectMessageClass(CoordinatorProtocol.UnitsDone.class);
    assertEquals(2, second.results().size());
    assertEquals(1, second.cpuCredit());
    UnitResult tooLarge = second.results().get(1);
    assertEquals(200, tooLarge.errors().size());
    assertEquals("ResultTooLarge", tooLarge.errors().get(0).error().type());
    assertTrue(tooLarge.errors().get(0).error().message().contains("use a smaller chunk size"));
  }

  @Test
  void tellsWhichWorkerRanAnInput() {
    Started s = startWorker();
    s.worker().tell(new Worker.Assign(
        TaskKind.CPU, List.of(unit(1, "j7", "whoami", 0, new Values.LongRange(5, 1))), s.coordinator().getRef()));
    UnitResult result = s.coordinator().expectMessageClass(CoordinatorProtocol.UnitsDone.class).results().get(0);
    String json = ((Values.Jsons) result.outputs()).values().get(0).toString();
    assertTrue(json.contains("\"pid\":" + ProcessHandle.current().pid()), json);
  }
}
