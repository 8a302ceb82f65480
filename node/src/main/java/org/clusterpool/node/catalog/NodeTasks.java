package org.clusterpool.node.catalog;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.clusterpool.node.protocol.TaskSignature;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.TaskName;

/**
 * What the workers of one node (one JVM) can run: its {@link TaskCatalog}, and the task objects
 * that a pool of this same JVM was handed (a task made from a function, an object of a class no
 * catalog lists). Those are registered while a job of theirs runs, each object under a fingerprint
 * of its own ({@code lambda:...}, {@code object:...}) that no other object and no other JVM has:
 * the object itself is the code, and it never leaves this JVM.
 *
 * <p>Workers look tasks up by name and fingerprint, from any thread; registration happens on the
 * node's actor.
 */
public final class NodeTasks {
  /** Tells this JVM's registered objects apart from another JVM's, should two ever meet. */
  private static final String JVM =
      HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());

  private record Key(String name, String fingerprint) {}

  private static final class Registration {
    final TaskSignature signature;
    int uses;

    Registration(TaskSignature signature) {
      this.signature = signature;
    }
  }

  private final TaskCatalog catalog;
  private final Map<Key, Task<?, ?>> registered = new ConcurrentHashMap<>();

  /** Guarded by this: the registrations by object, counted by the jobs that use them. */
  private final Map<Task<?, ?>, Registration> byObject = new IdentityHashMap<>();

  private long nextId;

  /** Guarded by this: numbers the node's catalogs, one more at each change. */
  private long version = 1;

  /** The node's catalog at one moment, numbered: parts of one snapshot share its version. */
  public record Snapshot(long version, List<TaskSignature> tasks) {}

  public NodeTasks(TaskCatalog catalog) {
    this.catalog = catalog;
  }

  public TaskCatalog catalog() {
    return catalog;
  }

  /**
   * The task of that name and fingerprint, or null: this node runs nothing else, and nothing its
   * operator does not allow ({@code clusterpool.tasks.allowed} of this node's config), whatever a
   * coordinator sends.
   */
  public Task<?, ?> find(String name, String fingerprint) {
    if (name == null || fingerprint == null || !catalog.allowed().permits(name)) return null;
    TaskCatalog.Entry entry = catalog.entry(name).orElse(null);
    if (entry != null && entry.fingerprint().equals(fingerprint)) return entry.task();
    return registered.get(new Key(name, fingerprint));
  }

  /**
   * Why a unit of task {@code name} at {@code fingerprint} does not run on this node, named {@code
   * node}.
   */
  public String whyNot(String name, String fingerprint, String node) {
    if (name != null && !catalog.allowed().permits(name))
      return catalog.allowed().whyNot(name, node);
    TaskCatalog.Entry entry = catalog.entry(name).orElse(null);
    if (entry == null) return "task '" + name + "' is not in the catalog of " + node;
    return node
        + " has task '"
        + name
        + "' as "
        + entry.fingerprint()
        + ", not "
        + fingerprint
        + " as the job's: another version of the task does not run it";
  }

  /**
   * Every task of the node that its operator allows, as the coordinator is told: the catalog's,
   * then the registered objects. A task left out is one the coordinator never sends here.
   */
  public synchronized Snapshot snapshot() {
    List<TaskSignature> out = new ArrayList<>();
    for (TaskCatalog.Entry entry : catalog.entries()) out.add(signature(entry));
    for (Registration registration : byObject.values()) out.add(registration.signature);
    out.removeIf(task -> !catalog.allowed().permits(task.name()));
    return new Snapshot(version, List.copyOf(out));
  }

  /**
   * The signature a job of {@code task} runs under on this node: the catalog's when it has the task
   * (the same object, or an object of the same class, which the catalog's stands for), else the
   * object is registered for one more job, under its own fingerprint. Each registration is given
   * back with {@link #release}.
   */
  public synchronized TaskSignature register(Task<?, ?> task) {
    if (task.inputType() == null || task.outputType() == null) {
      throw new IllegalArgumentException("task '" + task.name() + "' has no input or output type");
    }
    TaskName.check(task.name());
    TaskSignature cataloged = cataloged(task);
    if (cataloged != null) return cataloged;
    Registration registration = byObject.get(task);
    if (registration == null) {
      String fingerprint =
          (Fingerprints.isLambda(task) ? "lambda:" : "object:") + JVM + "." + (++nextId);
      registration = new Registration(new TaskSignature(task.name(), task.kind(), fingerprint));
      byObject.put(task, registration);
      registered.put(new Key(task.name(), fingerprint), task);
      version++;
    }
    registration.uses++;
    return registration.signature;
  }

  /**
   * A job of the signature ended: a registered object that no job uses any more is forgotten. True
   * if it was.
   */
  public synchronized boolean release(TaskSignature signature) {
    Task<?, ?> task = registered.get(new Key(signature.name(), signature.fingerprint()));
    if (task == null) return false;
    Registration registration = byObject.get(task);
    if (registration == null || --registration.uses > 0) return false;
    byObject.remove(task);
    registered.remove(new Key(signature.name(), signature.fingerprint()));
    version++;
    return true;
  }

  /**
   * The catalog's signature for the task, when the catalog has it (the same object, or one of the
   * same class).
   */
  public TaskSignature cataloged(Task<?, ?> task) {
    TaskCatalog.Entry entry = catalog.entry(task.name()).orElse(null);
    if (entry == null) return null;
    boolean same =
        entry.task() == task
            || (entry.task().getClass() == task.getClass() && !Fingerprints.isLambda(task));
    if (!same) return null;
    return signature(entry);
  }

  public static TaskSignature signature(TaskCatalog.Entry entry) {
    return new TaskSignature(entry.task().name(), entry.task().kind(), entry.fingerprint());
  }
}
