package org.clusterpool.coordinator.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.clusterpool.node.config.LayeredConfig;
import org.clusterpool.node.wire.CborSerializable;

/**
 * The far side of the transport's floor ({@link TransportFloor}): a JVM started like a worker JVM,
 * from the same class path and with the same flags, that joins the bench's bare actor system (the
 * members' config, nothing of clusterpool started) and echoes: a Pekko actor answers each {@link
 * Ping}, a TCP socket on loopback and a Unix domain socket send back each 8 bytes. It tells the
 * bench where they are ({@link Ready}), and ends with the bench.
 *
 * <p>Arguments: the bench system's address, the Unix socket's path, the bench's pid.
 */
public final class FloorPeer {
  private FloorPeer() {}

  /**
   * Asked of the echo actor, with the same serializer as every clusterpool message (Jackson CBOR).
   */
  public record Ping(long value, ActorRef<Pong> replyTo) implements CborSerializable {}

  public record Pong(long value) implements CborSerializable {}

  /** Told to the bench system's guardian once the echoes are up. */
  public record Ready(ActorRef<Ping> echo, int tcpPort) implements CborSerializable {}

  /** The bench system's config, and this one's: a member's, on a free port. */
  static Config config() {
    return ConfigFactory.parseString("pekko.remote.artery.canonical.port = 0")
        .withFallback(LayeredConfig.load("local-cluster"));
  }

  static Behavior<Ping> echo() {
    return Behaviors.receive(Ping.class)
        .onMessage(
            Ping.class,
            ping -> {
              ping.replyTo().tell(new Pong(ping.value()));
              return Behaviors.same();
            })
        .build();
  }

  public static void main(String[] args) throws Exception {
    String benchAddress = args[0];
    Path unixPath = Path.of(args[1]);
    ProcessHandle.of(Long.parseLong(args[2]))
        .ifPresent(bench -> bench.onExit().thenRun(() -> System.exit(0)));

    ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    daemon("floor-tcp-echo", () -> serveTcp(tcp));
    Files.deleteIfExists(unixPath);
    ServerSocketChannel unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    unix.bind(UnixDomainSocketAddress.of(unixPath));
    daemon("floor-unix-echo", () -> serveUnix(unix));

    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "floor", config());
    Cluster.get(system).manager().tell(Join.create(AddressFromURIString.parse(benchAddress)));
    ActorRef<Ping> echo = system.systemActorOf(echo(), "echo", Props.empty());
    // the bench system's guardian takes Ready: found by its path, as this JVM knows nothing else of
    // it
    system
        .classicSystem()
        .actorSelection(benchAddress + "/user")
        .tell(new Ready(echo, tcp.getLocalPort()), null);
    system.getWhenTerminated().toCompletableFuture().join();
  }

  private static void daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Echoes 8-byte messages, one connection after another, with blocking reads and writes. */
  private static void serveTcp(ServerSocket server) {
    while (true) {
      try (Socket socket = server.accept()) {
        socket.setTcpNoDelay(true);
        DataInputStream in = new DataInputStream(socket.getInputStream());
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        while (true) {
          out.writeLong(in.readLong());
          out.flush();
        }
      } catch (EOFException e) {
        // the bench closed this connection: wait for the next
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void serveUnix(ServerSocketChannel server) {
    while (true) {
      try (SocketChannel socket = server.accept()) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(8);
        while (true) {
          buffer.clear();
          while (buffer.hasRemaining()) if (socket.read(buffer) < 0) throw new EOFException();
          buffer.flip();
          while (buffer.hasRemaining()) socket.write(buffer);
        }
      } catch (EOFException e) {
        // the bench closed this connection: wait for the next
      } catch (IOException e) {
        return;
      }
    }
  }
}
