package org.clusterpool.node.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.clusterpool.node.catalog.TaskPaths;

/**
 * A JVM to start on this machine: a name (for its log file and for humans), a main class with its
 * arguments, a bounded heap, and where its output goes.
 *
 * @param environment variables added to this program's environment for the child: what a platform
 *     hands its processes that way (Kubernetes gives a pod the API server's address in {@code
 *     KUBERNETES_SERVICE_HOST})
 */
public record JvmSpec(
    String name,
    String mainClass,
    List<String> args,
    String maxHeap,
    Path logFile,
    Map<String, String> properties,
    Map<String, String> environment) {

  public JvmSpec {
    args = List.copyOf(args);
    properties = Map.copyOf(properties);
    environment = Map.copyOf(environment);
  }

  /** A JVM with this program's environment. */
  public JvmSpec(
      String name,
      String mainClass,
      List<String> args,
      String maxHeap,
      Path logFile,
      Map<String, String> properties) {
    this(name, mainClass, args, maxHeap, logFile, properties, Map.of());
  }

  /** The same JVM with these variables added to its environment. */
  public JvmSpec withEnvironment(Map<String, String> variables) {
    Map<String, String> all = new java.util.HashMap<>(environment);
    all.putAll(variables);
    return new JvmSpec(name, mainClass, args, maxHeap, logFile, properties, all);
  }

  /** The maximum heap of a worker node's JVM, unless its starter says otherwise. */
  public static final String DEFAULT_HEAP = "256m";

  /** The same JVM with this maximum heap ({@code 512m}, {@code 2g}). */
  public JvmSpec withHeap(String heap) {
    return new JvmSpec(name, mainClass, args, heap, logFile, properties, environment);
  }

  /**
   * The same JVM with these system properties added (over those of the same name): a member's
   * transport, its certificate ({@code MemberTransport.settings()}).
   */
  /** With {@code defaults} for the properties it does not set already. */
  public JvmSpec withDefaultProperties(Map<String, String> defaults) {
    Map<String, String> all = new java.util.HashMap<>(defaults);
    all.putAll(properties);
    return new JvmSpec(name, mainClass, args, maxHeap, logFile, all, environment);
  }

  public JvmSpec withProperties(Map<String, String> added) {
    Map<String, String> all = new java.util.HashMap<>(properties);
    all.putAll(added);
    return new JvmSpec(name, mainClass, args, maxHeap, logFile, all, environment);
  }

  /**
   * A worker node, as {@link org.clusterpool.node.NodeMain} takes it, with the tasks of its config.
   */
  public static JvmSpec workerNode(
      String name, int port, List<String> seeds, int workers, long parentPid, Path logFile) {
    return workerNode(name, port, seeds, workers, parentPid, logFile, TaskPaths.NONE);
  }

  /**
   * A worker node, as {@link org.clusterpool.node.NodeMain} takes it, given the task paths of the
   * program that starts it: every JVM a command starts runs the same tasks.
   */
  public static JvmSpec workerNode(
      String name,
      int port,
      List<String> seeds,
      int workers,
      long parentPid,
      Path logFile,
      TaskPaths tasks) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("--port", Integer.toString(port), "--workers", Integer.toString(workers)));
    args.addAll(tasks.arguments());
    for (String seed : seeds) {
      args.add("--seed");
      args.add(seed);
    }
    if (parentPid > 0) {
      args.add("--parent-pid");
      args.add(Long.toString(parentPid));
    }
    return new JvmSpec(
        name, "org.clusterpool.node.NodeMain", args, DEFAULT_HEAP, logFile, Map.of());
  }
}
