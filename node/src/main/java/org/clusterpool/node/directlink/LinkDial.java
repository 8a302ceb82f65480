package org.clusterpool.node.directlink;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The side of a worker JVM that another JVM of the machine started with an invitation ({@link
 * LinkListener#VARIABLE} in its environment): it connects before its workers start, so that every
 * message between them and the JVM that started them can take the link from the first.
 */
public final class LinkDial {
  private LinkDial() {}

  private static final Logger log = LoggerFactory.getLogger(LinkDial.class);
  private static final Duration HANDSHAKE = Duration.ofSeconds(5);

  /**
   * Opens the link to {@code starter} (the address of the member that started this JVM) if this JVM
   * was invited to one; true if it is open. A link that cannot open is said once, and the messages
   * go through the cluster.
   */
  public static boolean fromEnvironment(ActorSystem<?> system, String starter) {
    String invitation = System.getenv(LinkListener.VARIABLE);
    if (invitation == null || invitation.isBlank()) return false;
    return open(system, starter, invitation);
  }

  /**
   * Connects, or fails after {@code within}: a listener that takes no more connections (its backlog
   * full) would otherwise hold this JVM's start for ever, before it works or watches its parent.
   */
  private static void connectWithin(SocketChannel channel, SocketAddress to, Duration within)
      throws IOException {
    CompletableFuture<Void> connected = new CompletableFuture<>();
    CompletableFuture.runAsync(
        () -> {
          if (connected.complete(null)) closeQuietly(channel); // unblocks connect()
        },
        CompletableFuture.delayedExecutor(within.toMillis(), TimeUnit.MILLISECONDS));
    try {
      channel.connect(to);
    } catch (AsynchronousCloseException e) {
      throw new IOException("the listener took no connection within " + within.toSeconds() + " s");
    }
    if (!connected.complete(null))
      throw new IOException("the listener took no connection within " + within.toSeconds() + " s");
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // given up on anyway
    }
  }

  /** Opens the link of {@code invitation} (as {@link LinkListener#invitation} gives it). */
  static boolean open(ActorSystem<?> system, String starter, String invitation) {
    Address remote;
    try {
      remote = AddressFromURIString.parse(starter);
    } catch (RuntimeException e) {
      log.warn("no direct link: the starting member's address {} is not one", starter);
      return false;
    }
    int space = invitation.lastIndexOf(' ');
    SocketChannel channel = null;
    try {
      if (space < 0) throw new IOException("the invitation has no token");
      byte[] token = HexFormat.of().parseHex(invitation.substring(space + 1).trim());
      if (token.length != LinkHandshake.TOKEN_BYTES)
        throw new IOException("the invitation's token is not one");
      Path path = Path.of(invitation.substring(0, space));
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      connectWithin(channel, UnixDomainSocketAddress.of(path), HANDSHAKE);
      channel.configureBlocking(false);
      String own = Cluster.get(Adapter.toClassic(system)).selfAddress().toString();
      LinkHandshake.show(channel, token, own, HANDSHAKE);
      DirectLinks.get(system).add(remote, channel, false);
      log.debug("direct link to {} open", remote);
      return true;
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // not opened anyway
        }
      }
      log.warn(
          "no direct link to {}: {}; its messages go through the cluster", remote, e.toString());
      return false;
    }
  }
}
