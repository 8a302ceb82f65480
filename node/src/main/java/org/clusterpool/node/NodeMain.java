package org.clusterpool.node;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.clusterpool.node.bootstrap.Bootstrap;
import org.clusterpool.node.catalog.NodeTasks;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.catalog.TaskLoadException;
import org.clusterpool.node.directlink.LinkDial;
import org.clusterpool.node.member.ExitDeadline;
import org.clusterpool.node.member.JoinFailure;
import org.clusterpool.node.member.MemberReporter;
import org.clusterpool.node.tls.TransportCheck;
import org.clusterpool.node.worker.JvmExit;
import org.clusterpool.node.worker.WorkerNode;
import org.clusterpool.node.worker.WorkerSettings;
import org.slf4j.LoggerFactory;

/**
 * A worker node: one JVM, one cluster member of role {@code worker}, K worker actors. The launcher
 * starts it with this main class; {@code clusterpool node} runs the same {@link #start}.
 *
 * <pre>
 * java -cp clusterpool.jar org.clusterpool.node.NodeMain --port 25521 --seed pekko://clusterpool@127.0.0.1:25520 --workers 2 \
 *     --tasks /home/me/cube-task.jar
 * </pre>
 */
public final class NodeMain {
  private NodeMain() {}

  public static final String SYSTEM_NAME = "clusterpool";

  public static void main(String[] args) {
    NodeOptions options;
    ActorSystem<Void> system;
    try {
      options = parse(args);
      system = start(options);
    } catch (
        IllegalArgumentException
            e) { // a bad option, or tasks that cannot be loaded: nothing started
      System.err.println("clusterpool node: " + e.getMessage());
      JvmExit.exit(2);
      return;
    }
    exitWithNode(system);
  }

  /**
   * Starts a worker member: it joins the seed nodes (or, with {@code
   * clusterpool.bootstrap.enabled}, finds the cluster by Cluster Bootstrap), and its workers find
   * the coordinator through the receptionist. Tests call this too, so that their nodes start the
   * way real ones do. Its tasks are loaded first: tasks that cannot be loaded are a {@link
   * TaskLoadException}, and nothing starts; so is a transport it cannot use (mutual TLS without a
   * certificate: {@link TransportCheck}), an {@link IllegalArgumentException}.
   */
  public static ActorSystem<Void> start(NodeOptions options) {
    Config config = options.config();
    TaskCatalog catalog = TaskCatalog.forConfig(config);
    LoggerFactory.getILoggerFactory(); // logging starts before actor threads log at once
    TransportCheck.atStart(config);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), SYSTEM_NAME, config);
    WorkerSettings settings = WorkerSettings.fromConfig(config);
    // before the workers exist: every message of theirs to the JVM that started this one may take
    // the link, from the first
    if (!options.seedNodes().isEmpty())
      LinkDial.fromEnvironment(system, options.seedNodes().get(0));
    system.systemActorOf(
        WorkerNode.create(settings, new NodeTasks(catalog), false), "workers", Props.empty());
    MemberReporter.start(system);
    if (Bootstrap.enabled(config)) Bootstrap.start(system);
    leaveWithParent(system, options.parentPid());
    return system;
  }

  /**
   * A node started for one job goes when the program that started it goes, however that one ended.
   */
  public static void leaveWithParent(ActorSystem<?> system, long parentPid) {
    if (parentPid <= 0) return;
    ProcessHandle.of(parentPid)
        .ifPresentOrElse(parent -> parent.onExit().thenRun(system::terminate), system::terminate);
  }

  /**
   * In a node process, the JVM exits once its node is gone (left, downed, or stopped), and within a
   * bound even when its actor system does not end ({@link ExitDeadline}); with 1 and one line when
   * it never joined ({@link JoinFailure}).
   */
  public static void exitWithNode(ActorSystem<?> system) {
    if (system.settings().config().getBoolean("clusterpool.node.exit-when-removed")) {
      system.getWhenTerminated().thenRun(() -> JvmExit.exit(JoinFailure.exitStatus(system)));
      ExitDeadline.arm(system, EXIT_GRACE);
    }
  }

  /**
   * What an ending actor system gets beyond its last shutdown phase's own timeout before the JVM
   * halts.
   */
  private static final java.time.Duration EXIT_GRACE = java.time.Duration.ofSeconds(5);

  static NodeOptions parse(String[] args) {
    String config = "local-cluster";
    String hostname = null;
    int port = 0;
    int workers = 0;
    long parent = 0;
    List<String> seeds = new ArrayList<>();
    List<Path> tasks = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value = i + 1 < args.length ? args[i + 1] : null;
      if (value == null) throw new IllegalArgumentException(arg + " needs a value");
      switch (arg) {
        case "--config" -> config = value;
        case "--hostname" -> hostname = value;
        case "--port" -> port = parseInt(arg, value);
        case "--seed" -> seeds.add(value);
        case "--workers" -> workers = parseInt(arg, value);
        case "--parent-pid" -> parent = Long.parseLong(value);
        case "--tasks" -> tasks.add(Path.of(value));
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + arg
                    + ": accepted --config, --hostname, --port, --seed, --workers, --parent-pid,"
                    + " --tasks");
      }
      i++;
    }
    return new NodeOptions(
        config, NodeOptions.WORKER, hostname, port, seeds, workers, parent, tasks);
  }

  private static int parseInt(String option, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " expects a number, got '" + value + "'");
    }
  }
}
