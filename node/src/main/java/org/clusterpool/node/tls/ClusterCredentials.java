package org.clusterpool.node.tls;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Optional;

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

  private ClusterCredentials(Transport transport, Optional<ClusterCa> ca, Thread cleanup) {
    this.transport = transport;
    this.ca = ca;
    this.cleanup = cleanup;
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
      return new ClusterCredentials(transport, Optional.empty(), null);
    Path dir = directory.orElseGet(() -> PrivateFiles.temporaryDirectory("clusterpool-tls-"));
    ClusterCa ca = keepKey ? ClusterCa.createKept(dir, config) : ClusterCa.create(dir, config);
    Thread cleanup = new Thread(ca::delete, "clusterpool-delete-cluster-keys");
    Runtime.getRuntime().addShutdownHook(cleanup);
    return new ClusterCredentials(transport, Optional.of(ca), cleanup);
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
