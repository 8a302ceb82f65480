package org.clusterpool.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.catalog.TaskPaths;
import org.clusterpool.node.config.LayeredConfig;
import org.clusterpool.node.task.AsyncTask;
import org.clusterpool.node.task.CpuTask;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.TaskContext;
import org.clusterpool.node.worker.JvmExit;
import org.clusterpool.node.worker.NodeTaskContext;

/**
 * A process that runs one task on one input, prints the result and exits: Python's {@code
 * Process(target=f).start()}, a JVM of its own with nothing shared. {@code demo process} starts it
 * and waits for it, as {@code join()} does.
 *
 * <pre>java -cp clusterpool.jar org.clusterpool.node.RunTask [--tasks PATH]... whoami 1</pre>
 */
public final class RunTask {
  private RunTask() {}

  public static void main(String[] args) throws Exception {
    List<Path> paths = new ArrayList<>();
    int first = 0;
    while (first + 1 < args.length && args[first].equals("--tasks")) {
      paths.add(Path.of(args[first + 1]));
      first += 2;
    }
    if (args.length - first != 2) {
      System.err.println("usage: RunTask [--tasks PATH]... TASK INPUT");
      JvmExit.exit(2);
    }
    TaskCatalog catalog;
    try {
      TaskPaths tasks = TaskPaths.fromConfig(LayeredConfig.load("embedded"));
      catalog = TaskCatalog.load(paths.isEmpty() ? tasks : tasks.withPaths(paths));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      JvmExit.exit(2);
      return;
    }
    Task<?, ?> task = catalog.find(args[first]).orElse(null);
    if (task == null) {
      System.err.println(
          "unknown task '" + args[first] + "': accepted: " + String.join(", ", catalog.names()));
      JvmExit.exit(2);
    }
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "timer");
              t.setDaemon(true);
              return t;
            });
    try {
      System.out.println(run(task, args[first + 1], new Context(timer)));
      JvmExit.exit(0);
    } catch (Exception e) {
      System.out.println("failed: " + e);
      JvmExit.exit(1);
    }
  }

  private static <I, O> String run(Task<I, O> task, String text, TaskContext context)
      throws Exception {
    I input = task.inputType().parse(text);
    task.validate(input);
    O output =
        task instanceof CpuTask<I, O> cpu
            ? cpu.apply(input, context)
            : ((AsyncTask<I, O>) task).apply(input, context).toCompletableFuture().join();
    return task.outputType().format(output);
  }

  /**
   * The context of a task that runs alone in its process. Its actor system is a local one of its
   * own, started only if the task asks for it: a process started alone belongs to no cluster, so it
   * finds no queue of one.
   */
  private static final class Context implements NodeTaskContext {
    private final ScheduledExecutorService timer;
    private final Map<String, Long> globals = new ConcurrentHashMap<>();
    private ActorSystem<Void> system;

    Context(ScheduledExecutorService timer) {
      this.timer = timer;
    }

    @Override
    public String workerName() {
      return "process";
    }

    @Override
    public String nodeAddress() {
      return "standalone";
    }

    @Override
    public long pid() {
      return ProcessHandle.current().pid();
    }

    @Override
    public String jobId() {
      return "process";
    }

    @Override
    public long inputIndex() {
      return 0;
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public boolean hostsCoordinator() {
      return false;
    }

    @Override
    public Map<String, Long> globals() {
      return globals;
    }

    @Override
    public synchronized ActorSystem<?> system() {
      if (system == null)
        system =
            ActorSystem.create(
                Behaviors.empty(), NodeMain.SYSTEM_NAME, LayeredConfig.load("embedded"));
      return system;
    }

    @Override
    public CompletableFuture<Void> sleep(Duration delay) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      timer.schedule(() -> done.complete(null), delay.toNanos(), TimeUnit.NANOSECONDS);
      return done;
    }
  }
}
