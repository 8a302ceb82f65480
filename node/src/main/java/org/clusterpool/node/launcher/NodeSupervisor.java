package org.clusterpool.node.launcher;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.clusterpool.node.directlink.LinkListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps worker JVMs running on this machine, as {@code multiprocessing.Pool} keeps its processes
 * and a Kubernetes Deployment its pods. When one ends, whatever ended it (a crash, {@code kill -9},
 * a task that halts its JVM, its member downed by the others), the supervisor
 *
 * <ol>
 *   <li>downs its member at once ({@link MemberDowning}): the process is gone for good, so nobody
 *       needs to wait for the failure detector to find out, and the work it held runs again now;
 *   <li>logs and reports how it ended (exit code, the last lines of its log);
 *   <li>starts a new JVM in its place (same name, a new port) after a {@link Backoff} delay that
 *       doubles while it keeps dying soon after its start: a node that cannot start never spins a
 *       CPU.
 * </ol>
 *
 * A port is never given twice: Pekko keeps a tombstone of a removed member's address for a day, and
 * takes an actor of a new member on that address, watched before the watcher has seen it up, for
 * one of the removed member's: dead at once. It lives in the JVM that started the processes, the
 * only one that sees them end. A frozen JVM has not ended: heartbeats and the Split Brain Resolver
 * decide about it, as about every member nobody here owns.
 *
 * <p>One thread does everything, in order (a JVM's end, a restart when its delay is over, adding
 * nodes, stopping), so the slots need no lock; other threads read the last {@link #nodes()
 * snapshot}.
 *
 * <p>Over 400 lines: its one thread owns every slot's whole life (start, end, back-off, downing,
 * stop), and one file keeps that order, which is what makes it need no lock, in view; the parts
 * with state of their own are {@link Backoff}, {@link MemberDowning} and {@link JvmProcess}.
 */
public final class NodeSupervisor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeSupervisor.class);
  private static final int LOG_TAIL_LINES = 5;
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  /** What a supervised node runs, given its name and port: the same at each restart. */
  @FunctionalInterface
  public interface Specs {
    JvmSpec spec(String name, int port);
  }

  /**
   * Hears about the nodes, on the supervisor's thread: keep it short, and do not call the
   * supervisor back.
   */
  public interface Listener {
    /**
     * A JVM ended; its member was downed (or not) before this call, and its replacement is
     * scheduled after it.
     */
    default void exited(NodeExit exit) {}

    /** The nodes changed: one started, ended, or was added. */
    default void changed(List<SupervisedNode> nodes) {}
  }

  /**
   * One node's place: a name and a port, and the JVM that fills it now. Touched on {@link #thread}
   * only.
   */
  private static final class Slot {
    final int number;
    final String name;
    final Backoff backoff;
    int port;
    JvmProcess process;
    long startNanos;
    long startMillis;
    SupervisedNode.State state = SupervisedNode.State.DEAD;
    int restarts;
    int downedOnExit;
    NodeExit lastExit;
    ScheduledFuture<?> pendingStart;

    Slot(int number, String name, int port, Backoff backoff) {
      this.number = number;
      this.name = name;
      this.port = port;
      this.backoff = backoff;
    }

    SupervisedNode view() {
      long pid = process != null ? process.pid() : NodeExit.NOT_STARTED;
      return new SupervisedNode(
          number,
          name,
          port,
          pid,
          startMillis,
          state,
          restarts,
          Optional.ofNullable(lastExit),
          downedOnExit);
    }
  }

  private final Specs specs;
  private final int firstPort;
  private final Set<Integer> reserved;
  private final SupervisionSettings settings;
  private final MemberDowning downing;
  private final Listener listener;
  private final ScheduledExecutorService thread;

  /** Where the JVMs it starts open their direct link to this one, if they do. */
  private final Optional<LinkListener> links;

  private final List<Slot> slots = new ArrayList<>();

  /** Every port given to a JVM so far: see the class comment. */
  private final Set<Integer> used = new HashSet<>();

  private boolean restarting;
  private boolean stopping;
  private volatile List<SupervisedNode> snapshot = List.of();
  private volatile List<JvmProcess> processes = List.of();

  /**
   * @param firstPort worker nodes take the first free ports from here, skipping {@code reserved}
   * @param restart false: a node that ends stays dead (its member is still downed at once)
   */
  public NodeSupervisor(
      Specs specs,
      int firstPort,
      Set<Integer> reserved,
      SupervisionSettings settings,
      boolean restart,
      MemberDowning downing,
      Listener listener) {
    this.specs = specs;
    this.firstPort = firstPort;
    this.reserved = Set.copyOf(reserved);
    this.settings = settings;
    this.restarting = restart;
    this.downing = downing;
    this.listener = listener;
    this.links =
        settings.directLinks() ? LinkListener.open(settings.socketFolder()) : Optional.empty();
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "clusterpool-node-supervisor");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts {@code count} more nodes, named after the last ones ({@code worker-node-N}); completes
   * once they run.
   */
  public CompletionStage<List<SupervisedNode>> add(int count) {
    return submit(
        () -> {
          if (stopping)
            throw new IllegalStateException("the supervisor is stopping: no node is added");
          List<Slot> added = new ArrayList<>();
          for (int i = 0; i < count; i++) {
            int number = slots.stream().mapToInt(s -> s.number).max().orElse(0) + 1;
            Slot slot =
                new Slot(number, "worker-node-" + number, freePort(), new Backoff(settings));
            slots.add(slot);
            added.add(slot);
            start(slot);
          }
          publish();
          return added.stream().map(Slot::view).toList();
        });
  }

  /** {@link #add} for callers that wait anyway. */
  public List<SupervisedNode> addAndWait(int count) {
    return join(add(count).toCompletableFuture());
  }

  /** The nodes as they stood at their last change, by number. */
  public List<SupervisedNode> nodes() {
    return snapshot;
  }

  /**
   * Each node's current JVM (alive or not: a dead one stays until its replacement starts), by
   * number.
   */
  public List<JvmProcess> processes() {
    return processes;
  }

  /**
   * From now on, a node that ends is not started again (restarts waiting for their delay are
   * cancelled); the JVMs that run go on, and one that ends is still downed at once.
   */
  public void stopRestarting() {
    try {
      join(
          submit(
              () -> {
                if (restarting) log.info("node supervision stops restarting worker JVMs");
                restarting = false;
                for (Slot slot : slots) cancelPendingStart(slot);
                publish();
                return null;
              }));
    } catch (IllegalStateException e) {
      // closed: nothing is started any more
    }
  }

  /**
   * Stops supervising first (nothing is started again from now on), then every JVM: SIGTERM to all
   * (each leaves its cluster), a kill for those still there after {@code grace}. Returns once none
   * runs; calling it again does nothing.
   */
  public void close(Duration grace) {
    List<JvmProcess> running;
    try {
      running =
          join(
              submit(
                  () -> {
                    stopping = true;
                    restarting = false;
                    for (Slot slot : slots) cancelPendingStart(slot);
                    publish();
                    return slots.stream()
                        .filter(s -> s.state == SupervisedNode.State.RUNNING)
                        .map(s -> s.process)
                        .toList();
                  }));
    } catch (IllegalStateException e) {
      return; // closed already
    }
    for (JvmProcess process : running) process.terminate();
    long deadline = System.nanoTime() + grace.toNanos();
    for (JvmProcess process : running) {
      if (!process.waitFor(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
        log.warn("{} did not stop within {} s of SIGTERM: killed", process, grace.toSeconds());
        process.kill();
      }
    }
    try {
      // the JVMs have ended, but their ends may not have reached this thread yet: record them now
      join(
          submit(
              () -> {
                for (Slot slot : slots)
                  if (slot.process != null && !slot.process.isAlive()) onExit(slot, slot.process);
                return null;
              }));
    } finally {
      thread.shutdown();
      links.ifPresent(LinkListener::close);
    }
  }

  /**
   * The links of the JVMs it started, and of those it starts from now on, are {@code system}'s: the
   * member of this JVM that they work for.
   */
  public void attachLinks(ActorSystem<?> system) {
    links.ifPresent(listener -> listener.attach(system));
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(15));
  }

  // ---- on the supervisor's thread

  private void start(Slot slot) {
    JvmProcess process;
    try {
      JvmSpec spec =
          specs.spec(slot.name, slot.port).withDefaultProperties(OwnedCluster.worker(settings));
      if (links.isPresent()) spec = spec.withEnvironment(links.get().invitation());
      process = JvmLauncher.start(spec);
    } catch (RuntimeException e) {
      notStarted(slot, e);
      return;
    }
    slot.process = process;
    slot.startNanos = System.nanoTime();
    slot.startMillis = process.startMillis();
    slot.state = SupervisedNode.State.RUNNING;
    log.info("{} started (pid {}, port {})", slot.name, process.pid(), slot.port);
    try {
      process.onExit().thenRunAsync(() -> guarded(() -> onExit(slot, process)), thread);
    } catch (RejectedExecutionException e) {
      // closed meanwhile: close() records the end itself
    }
  }

  /**
   * A JVM ended: down its member first (its work runs again now), then report, then schedule its
   * replacement.
   */
  private void onExit(Slot slot, JvmProcess process) {
    if (slot.process != process || slot.state != SupervisedNode.State.RUNNING)
      return; // recorded already
    Duration uptime = Duration.ofNanos(System.nanoTime() - slot.startNanos);
    MemberDowning.Outcome member = stopping ? MemberDowning.Outcome.NOT_A_MEMBER : down(slot.port);
    if (member == MemberDowning.Outcome.DOWNED) slot.downedOnExit++;
    Optional<Duration> delay =
        restarting && !stopping ? Optional.of(slot.backoff.next(uptime)) : Optional.empty();
    NodeExit exit =
        new NodeExit(
            slot.name,
            process.pid(),
            slot.port,
            process.exitCode(),
            Instant.now(),
            uptime,
            member,
            delay,
            LogTail.of(process.spec().logFile(), LOG_TAIL_LINES));
    ended(slot, exit);
  }

  /**
   * A JVM that could not even be started counts as one that died at once: the backoff grows the
   * same way.
   */
  private void notStarted(Slot slot, RuntimeException e) {
    Optional<Duration> delay =
        restarting && !stopping ? Optional.of(slot.backoff.next(Duration.ZERO)) : Optional.empty();
    NodeExit exit =
        new NodeExit(
            slot.name,
            NodeExit.NOT_STARTED,
            slot.port,
            -1,
            Instant.now(),
            Duration.ZERO,
            MemberDowning.Outcome.NOT_A_MEMBER,
            delay,
            List.of(String.valueOf(e.getMessage())));
    ended(slot, exit);
  }

  private void ended(Slot slot, NodeExit exit) {
    slot.lastExit = exit;
    if (stopping) {
      slot.state = SupervisedNode.State.DEAD;
      log.info("{} (pid {}) stopped ({})", slot.name, exit.pid(), exit.cause());
    } else {
      slot.state = exit.replaced() ? SupervisedNode.State.RESTARTING : SupervisedNode.State.DEAD;
      log.warn(
          "{}{}",
          exit.summary(restarting ? "" : "not replaced (restarts are off)"),
          exit.logTail().isEmpty()
              ? ""
              : "; its log ends with: " + String.join(" | ", exit.logTail()));
      exit.restartDelay()
          .ifPresent(
              delay ->
                  slot.pendingStart =
                      thread.schedule(
                          () -> guarded(() -> restart(slot)),
                          delay.toNanos(),
                          TimeUnit.NANOSECONDS));
    }
    try {
      listener.exited(exit);
    } catch (RuntimeException e) {
      log.warn("the listener of node supervision failed on {}'s end: {}", slot.name, e.toString());
    }
    publish();
  }

  private void restart(Slot slot) {
    slot.pendingStart = null;
    if (!restarting || stopping || slot.state != SupervisedNode.State.RESTARTING) return;
    slot.port = portAfterExit();
    slot.restarts++;
    start(slot);
    publish();
  }

  private MemberDowning.Outcome down(int port) {
    try {
      return downing.down(port);
    } catch (RuntimeException e) {
      log.warn("could not down the member on port {}: {}", port, e.toString());
      return MemberDowning.Outcome.NO_CLUSTER;
    }
  }

  private void cancelPendingStart(Slot slot) {
    if (slot.pendingStart != null) slot.pendingStart.cancel(false);
    slot.pendingStart = null;
    if (slot.state == SupervisedNode.State.RESTARTING) slot.state = SupervisedNode.State.DEAD;
  }

  /**
   * The first free port from the cluster's own on: the nodes of one cluster get neighbouring
   * numbers.
   */
  private int freePort() {
    int port = Ports.freeFrom(firstPort, taken());
    used.add(port);
    return port;
  }

  /**
   * A port drawn at random: a node that ended may have lost its port to another program starting at
   * that moment (a classmate's cluster on a shared machine scans the same numbers), and the next
   * number up is where that one goes next. Above the cluster's own, all the same: members are
   * ordered by address, and the first reachable one leads, whose downing decides for the cluster;
   * the coordinator's member, below every worker, never downs itself, where a worker's Split Brain
   * Resolver once downed it as "indirectly connected" (a replacement drawn from the system's ports,
   * 45303, below a cluster on 47200).
   */
  private int portAfterExit() {
    int port = Ports.anyFrom(firstPort, taken());
    used.add(port);
    return port;
  }

  private Set<Integer> taken() {
    Set<Integer> taken = new HashSet<>(reserved);
    taken.addAll(used);
    return taken;
  }

  private void publish() {
    snapshot = slots.stream().map(Slot::view).toList();
    processes = slots.stream().filter(s -> s.process != null).map(s -> s.process).toList();
    try {
      listener.changed(snapshot);
    } catch (RuntimeException e) {
      log.warn("the listener of node supervision failed: {}", e.toString());
    }
  }

  private static void guarded(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      log.error("node supervision failed", e);
    }
  }

  // ---- calls from other threads

  private <T> CompletionStage<T> submit(Callable<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      thread.execute(
          () -> {
            try {
              result.complete(task.call());
            } catch (Exception e) {
              result.completeExceptionally(e);
            }
          });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(new IllegalStateException("the node supervisor is closed"));
    }
    return result;
  }

  private static <T> T join(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "the node supervisor did not answer within " + CALL_TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the node supervisor");
    }
  }
}
