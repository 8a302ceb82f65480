package org.clusterpool.node.tls;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The members' transport of a cluster that this JVM starts and supervises ({@code --nodes}, {@code
 * cluster up}): a throw-away {@link ClusterCa} when they speak mutual TLS, which gives each member
 * a certificate of its own, and the hook that deletes its keys if this JVM ends before {@link
 * #close}. Plain TCP needs none.
 */
public final class ClusterCredentials implements AutoCloseable {
  private final Transport transport;
  private final Optional<ClusterCa> ca;
  private final Thread cleanup;
  private final List<CompletableFuture<?>> users;

  /** How long the JVM's end waits for the members using the keys before it deletes them. */
  private static final Duration USERS_GRACE = Duration.ofSeconds(3);

  private ClusterCredentials(
      Transport transport,
      Optional<ClusterCa> ca,
      Thread cleanup,
      List<CompletableFuture<?>> users) {
    this.transport = transport;
    this.ca = ca;
    this.cleanup = cleanup;
    this.users = users;
  }

  /**
   * For members that speak {@code transport}: with TLS, a new CA in {@code directory} (made
   * private, mode 0700), or in a new private temporary directory when it is empty.
   */
  public static ClusterCredentials make(
      Transport transport, Optional<Path> directory, Config config) {
    return make(transport, directory, config, false);
  }

  /**
   * As {@link #make(Transport, Optional, Config)}, with the CA's key kept in {@code directory} too
   * (mode 0600), so that a member that another program of the same user starts later can be given a
   * certificate ({@link ClusterCa#open}).
   */
  public static ClusterCredentials makeKept(Transport transport, Path directory, Config config) {
    return make(transport, Optional.of(directory), config, true);
  }

  private static ClusterCredentials make(
      Transport transport, Optional<Path> directory, Config config, boolean keepKey) {
    if (transport == Transport.TCP)
      return new ClusterCredentials(
          transport, Optional.empty(), null, new CopyOnWriteArrayList<>());
    Path dir = directory.orElseGet(() -> PrivateFiles.temporaryDirectory("clusterpool-tls-"));
    ClusterCa ca = keepKey ? ClusterCa.createKept(dir, config) : ClusterCa.create(dir, config);
    List<CompletableFuture<?>> users = new CopyOnWriteArrayList<>();
    Thread cleanup =
        new Thread(
            () -> {
              awaitUsers(users);
              ca.delete();
            },
            "clusterpool-delete-cluster-keys");
    Runtime.getRuntime().addShutdownHook(cleanup);
    return new ClusterCredentials(transport, Optional.of(ca), cleanup, users);
  }

  /**
   * A member reads its key store at each connection it accepts: when the JVM ends (Ctrl-C), the
   * keys are deleted once the members using them have ended, or {@link #USERS_GRACE} later, not
   * under a member that still accepts one (Pekko logs a TLS error with its stack for each).
   */
  private static void awaitUsers(List<CompletableFuture<?>> users) {
    try {
      CompletableFuture.allOf(users.toArray(CompletableFuture[]::new))
          .get(USERS_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // ended badly, or not in time: the keys go all the same
    }
  }

  /** The keys are in use until {@code ended} completes: see {@link #awaitUsers}. */
  public void usedUntil(CompletionStage<?> ended) {
    users.add(ended.toCompletableFuture());
  }

  public Transport transport() {
    return transport;
  }

  /** A new key and certificate for {@code member} (a new one at each start of it), or plain TCP. */
  public MemberTransport issue(String member) {
    return ca.map(authority -> authority.issue(member)).orElseGet(MemberTransport::plainTcp);
  }

  /** Deletes the CA's directory and every key in it: the cluster is gone. */
  @Override
  public void close() {
    if (ca.isEmpty()) return;
    ca.get().delete();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // the JVM is ending: the hook runs
    }
  }
}
