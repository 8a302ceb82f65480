package org.clusterpool.node.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.clusterpool.node.catalog.NodeTasks;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.protocol.MessageBudget;
import org.clusterpool.node.protocol.TaskSignature;
import org.clusterpool.node.protocol.WorkerProtocol;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.ValueTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worker node says what it runs, not each worker: to a coordinator it meets, to one that asks,
 * and, through a pool of its JVM, when a task object is registered there. Every part names the node
 * and its address.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerNodeCatalogTest {

  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  private static final WorkerSettings SETTINGS =
      new WorkerSettings(
          2, 2, 100, new MessageBudget(1 << 20), Duration.ofSeconds(30), Duration.ofSeconds(30));

  private static Set<TaskSignature> signatures(TaskCatalog catalog) {
    return Set.copyOf(catalog.entries().stream().map(NodeTasks::signature).toList());
  }

  @Test
  void theNodeTellsACoordinatorItMeetsAndOneThatAsksWhatItRunsOncePerNode() {
    TestProbe<CoordinatorProtocol.Command> coordinator = testKit.createTestProbe();
    NodeTasks tasks = new NodeTasks(TaskCatalog.shared());
    testKit
        .system()
        .receptionist()
        .tell(Receptionist.register(CoordinatorProtocol.SERVICE_KEY, coordinator.getRef()));
    ActorRef<WorkerProtocol.NodeCommand> node =
        testKit.spawn(WorkerNode.create(SETTINGS, tasks, false), "workers");

    // its workers report too, each for itself: the catalog comes from the node, once
    List<CoordinatorProtocol.Command> fished =
        coordinator.fishForMessage(
            Duration.ofSeconds(5),
            m ->
                m instanceof CoordinatorProtocol.NodeCatalog
                    ? FishingOutcomes.complete()
                    : FishingOutcomes.continueAndIgnore());
    CoordinatorProtocol.NodeCatalog catalog =
        (CoordinatorProtocol.NodeCatalog) fished.get(fished.size() - 1);
    assertEquals(node, catalog.node());
    assertEquals(testKit.system().address().toString(), catalog.address());
    assertEquals(1, catalog.parts());
    assertEquals(signatures(TaskCatalog.shared()), Set.copyOf(catalog.tasks()));

    TestProbe<CoordinatorProtocol.Command> asking = testKit.createTestProbe();
    node.tell(new WorkerProtocol.SendCatalog(asking.getRef()));
    CoordinatorProtocol.NodeCatalog asked =
        asking.expectMessageClass(CoordinatorProtocol.NodeCatalog.class);
    assertEquals(catalog.version(), asked.version());
    assertEquals(Set.copyOf(catalog.tasks()), Set.copyOf(asked.tasks()));

    // a pool of this JVM registers a function made a task, and sends the node's new catalog before
    // its job
    Task<Long, Long> cube = Task.cpu("cube", ValueTypes.LONG, ValueTypes.LONG, x -> x * x * x);
    TaskSignature registered = tasks.register(cube);
    WorkerNode.sendCatalog(
        tasks, node, testKit.system().address().toString(), SETTINGS, asking.getRef());
    CoordinatorProtocol.NodeCatalog changed =
        asking.expectMessageClass(CoordinatorProtocol.NodeCatalog.class);
    assertTrue(changed.version() > catalog.version(), "a newer catalog replaces the older");
    assertTrue(changed.tasks().contains(registered), changed.tasks().toString());
    asking.expectNoMessage(Duration.ofMillis(100));
  }

  /** A node offers only what its operator allows: a coordinator never routes the rest there. */
  @Test
  void theNodeOffersOnlyTheTasksItsOperatorAllows() {
    TaskCatalog allowing =
        TaskCatalog.forConfig(
            ConfigFactory.parseString("clusterpool.tasks.allowed = \"*,!fail\"")
                .withFallback(ConfigFactory.load()));
    NodeTasks tasks = new NodeTasks(allowing);
    ActorRef<WorkerProtocol.NodeCommand> node =
        testKit.spawn(WorkerNode.create(SETTINGS, tasks, false), "allowing");
    try {
      TestProbe<CoordinatorProtocol.Command> asking = testKit.createTestProbe();
      node.tell(new WorkerProtocol.SendCatalog(asking.getRef()));
      List<TaskSignature> offered =
          asking.expectMessageClass(CoordinatorProtocol.NodeCatalog.class).tasks();
      assertTrue(offered.stream().noneMatch(t -> t.name().equals("fail")), offered.toString());
      assertTrue(offered.stream().anyMatch(t -> t.name().equals("square")), offered.toString());
      assertEquals(allowing.entries().size() - 1, offered.size());
    } finally {
      testKit.stop(node); // it would tell its catalog to the coordinator of another test
    }
  }
}
