package org.clusterpool.node.directlink;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.typed.ActorSystem;
import org.clusterpool.node.pipe.SocketFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The side of the JVM that starts worker JVMs on its machine: a Unix domain socket in the private
 * {@link SocketFolder}, where each JVM it starts connects with the one-time token of its {@link
 * #invitation}. It takes connections before its own actor system runs (a {@code cluster up} starts
 * its worker JVMs while its coordinator starts), and keeps them until {@link #attach}.
 */
public final class LinkListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LinkListener.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration HANDSHAKE = Duration.ofSeconds(5);

  /** The environment variable that carries an invitation: the socket's path, a space, the token. */
  public static final String VARIABLE = "CLUSTERPOOL_DIRECT_LINK";

  /** Invitations given out and not yet used, at most. */
  private static final int MAX_OPEN_INVITATIONS = 1024;

  private record Accepted(Address remote, SocketChannel channel) {}

  private final ServerSocketChannel server;
  private final Path path;
  private final List<byte[]> tokens = new ArrayList<>();
  private final List<Accepted> waiting = new ArrayList<>();
  private DirectLinks links;
  private volatile boolean closed;

  private LinkListener(ServerSocketChannel server, Path path) {
    this.server = server;
    this.path = path;
  }

  /**
   * A listener in {@code folder} ({@code clusterpool.pipe.direct-dir}; empty: this JVM's own), or
   * empty, with the reason logged, where this system offers none: the started JVMs then talk
   * through the cluster alone.
   */
  public static Optional<LinkListener> open(String folder) {
    try {
      Path dir = SocketFolder.of(folder);
      byte[] name = new byte[8];
      RANDOM.nextBytes(name);
      Path path = dir.resolve("link-" + HexFormat.of().formatHex(name) + ".sock");
      if (path.toString().getBytes(StandardCharsets.UTF_8).length > SocketFolder.MAX_PATH_BYTES)
        throw new IOException("its path " + path + " is too long for a socket");
      ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        server.bind(UnixDomainSocketAddress.of(path));
      } catch (IOException | RuntimeException e) {
        server.close();
        throw e;
      }
      LinkListener listener = new LinkListener(server, path);
      Thread acceptor = new Thread(listener::acceptLoop, "clusterpool-link-listener");
      acceptor.setDaemon(true);
      acceptor.start();
      return Optional.of(listener);
    } catch (IOException | RuntimeException e) {
      log.info(
          "worker JVMs started here talk through the cluster only: no direct link ({})",
          e.toString());
      return Optional.empty();
    }
  }

  /**
   * What the environment of one JVM to start gets: the socket and a token that lets one connection
   * in.
   */
  public Map<String, String> invitation() {
    byte[] token = new byte[LinkHandshake.TOKEN_BYTES];
    RANDOM.nextBytes(token);
    synchronized (this) {
      if (tokens.size() >= MAX_OPEN_INVITATIONS) tokens.remove(0);
      tokens.add(token);
    }
    return Map.of(VARIABLE, path + " " + HexFormat.of().formatHex(token));
  }

  /**
   * The links accepted so far, and those to come, are {@code system}'s: it reads their messages and
   * sends its own over them.
   */
  public void attach(ActorSystem<?> system) {
    List<Accepted> before;
    synchronized (this) {
      links = DirectLinks.get(system);
      before = List.copyOf(waiting);
      waiting.clear();
    }
    for (Accepted accepted : before) open(links, accepted);
  }

  /**
   * Takes connections until closed. A failed accept (no file descriptor left, for now) or a
   * handshake's thread that cannot start does not end it: JVMs started later would wait for a link
   * that nobody answers. At most {@link #MAX_HANDSHAKES} handshakes at once: a connection beyond is
   * closed, and its JVM talks through the cluster.
   */
  private void acceptLoop() {
    while (!closed) {
      SocketChannel channel;
      try {
        channel = server.accept();
      } catch (IOException | RuntimeException e) {
        if (closed) return;
        log.warn("the direct links' socket could not take a connection: {}", e.toString());
        pause();
        continue;
      }
      if (!handshakes.tryAcquire()) {
        closeQuietly(channel);
        continue;
      }
      try {
        Thread handshake =
            new Thread(
                () -> {
                  try {
                    handshake(channel);
                  } finally {
                    handshakes.release();
                  }
                },
                "clusterpool-link-handshake"); // a silent one waits
        handshake.setDaemon(true);
        handshake.start();
      } catch (Throwable e) { // OutOfMemoryError: unable to create native thread
        handshakes.release();
        closeQuietly(channel);
        log.warn("a direct link's handshake could not start: {}", e.toString());
        pause();
      }
    }
  }

  private static final int MAX_HANDSHAKES = 16;
  private final Semaphore handshakes = new Semaphore(MAX_HANDSHAKES);

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handshake(SocketChannel channel) {
    String shown;
    try {
      shown = LinkHandshake.check(channel, this::takeToken, HANDSHAKE);
    } catch (IOException | RuntimeException e) {
      shown = null;
    }
    Address remote = shown == null ? null : address(shown);
    if (remote == null) {
      closeQuietly(channel);
      return;
    }
    Accepted accepted = new Accepted(remote, channel);
    DirectLinks attached;
    synchronized (this) {
      if (closed) { // closed meanwhile: nobody would read it
        closeQuietly(channel);
        return;
      }
      attached = links;
      if (attached == null) waiting.add(accepted);
    }
    if (attached != null) open(attached, accepted);
  }

  private static Address address(String shown) {
    try {
      return AddressFromURIString.parse(shown);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private synchronized boolean takeToken(byte[] shown) {
    if (closed) return false; // no link is answered that nobody would open
    for (int i = 0; i < tokens.size(); i++) {
      if (MessageDigest.isEqual(tokens.get(i), shown)) {
        tokens.remove(i);
        return true;
      }
    }
    return false;
  }

  private static void open(DirectLinks links, Accepted accepted) {
    try {
      links.add(accepted.remote(), accepted.channel(), true);
    } catch (IOException | RuntimeException e) {
      log.warn("the direct link to {} could not open: {}", accepted.remote(), e.toString());
      closeQuietly(accepted.channel());
    }
  }

  /** Takes no more connections and removes the socket; links already open go on. */
  @Override
  public void close() {
    List<Accepted> unattached;
    synchronized (this) {
      if (closed) return;
      closed = true;
      unattached = List.copyOf(waiting);
      waiting.clear();
    }
    for (Accepted accepted : unattached) closeQuietly(accepted.channel());
    closeQuietly(server);
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // in a private folder: left for the JVM's exit
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // closing: nothing more to do with it
    }
  }
}
