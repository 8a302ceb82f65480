package org.clusterpool.coordinator.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.clusterpool.node.launcher.JvmLauncher;
import org.clusterpool.node.launcher.JvmProcess;
import org.clusterpool.node.launcher.JvmSpec;
import org.clusterpool.node.tls.ClusterCredentials;
import org.clusterpool.node.tls.Transport;

/**
 * The floor that the transport between two JVMs of this machine allows, with no clusterpool code in
 * the path: a bare actor system here (the members' config and serializer, nothing of clusterpool
 * started) asks an echo actor in a {@link FloorPeer} JVM (started as worker JVMs are); and plain
 * sockets echo 8 bytes, over TCP on loopback and over a Unix domain socket. Every cross-JVM row of
 * the bench shows these beside it, measured in the same run.
 */
final class TransportFloor implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);
  private static final AtomicLong PINGERS = new AtomicLong();

  private final ActorSystem<FloorPeer.Ready> system;
  private final JvmProcess peer;
  private final ActorRef<FloorPeer.Ping> echo;
  private final Socket tcp;
  private final DataInputStream tcpIn;
  private final DataOutputStream tcpOut;
  private final SocketChannel unix;
  private final ByteBuffer unixBuffer = ByteBuffer.allocateDirect(8);

  private TransportFloor(
      ActorSystem<FloorPeer.Ready> system, JvmProcess peer, FloorPeer.Ready ready, Path unixPath)
      throws IOException {
    this.system = system;
    this.peer = peer;
    this.echo = ready.echo();
    this.tcp = new Socket(InetAddress.getLoopbackAddress(), ready.tcpPort());
    tcp.setTcpNoDelay(true);
    this.tcpIn = new DataInputStream(tcp.getInputStream());
    this.tcpOut = new DataOutputStream(tcp.getOutputStream());
    this.unix = SocketChannel.open(UnixDomainSocketAddress.of(unixPath));
  }

  /** Starts the bare system here and the peer JVM, and returns once the peer's echoes are up. */
  static TransportFloor start() throws Exception {
    CompletableFuture<FloorPeer.Ready> ready = new CompletableFuture<>();
    // the members' transport, mutual TLS by default: the floor of what the cluster's own messages
    // cross
    ClusterCredentials credentials =
        ClusterCredentials.make(
            Transport.fromConfig(FloorPeer.config()), Optional.empty(), FloorPeer.config());
    ActorSystem<FloorPeer.Ready> system =
        ActorSystem.create(
            Behaviors.receive(FloorPeer.Ready.class)
                .onMessage(
                    FloorPeer.Ready.class,
                    message -> {
                      ready.complete(message);
                      return Behaviors.same();
                    })
                .build(),
            "floor",
            credentials.issue("floor").applyTo(FloorPeer.config()));
    system.getWhenTerminated().thenRun(credentials::close); // the peer's certificate went with it
    JvmProcess peer = null;
    try {
      Cluster.get(system).manager().tell(Join.create(system.address()));
      Path dir = Files.createTempDirectory("clusterpool-floor");
      dir.toFile().deleteOnExit();
      Path unixPath = dir.resolve("echo.sock");
      unixPath.toFile().deleteOnExit();
      Path log = dir.resolve("floor-peer.log");
      log.toFile().deleteOnExit();
      peer =
          JvmLauncher.start(
              new JvmSpec(
                      "floor-peer",
                      FloorPeer.class.getName(),
                      List.of(
                          system.address().toString(),
                          unixPath.toString(),
                          Long.toString(ProcessHandle.current().pid())),
                      "256m",
                      log,
                      Map.of())
                  .withProperties(credentials.issue("floor-peer").settings()));
      try {
        return new TransportFloor(
            system, peer, ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS), unixPath);
      } catch (TimeoutException e) {
        throw new IllegalStateException(
            "the floor's peer JVM did not answer within "
                + START_TIMEOUT.toSeconds()
                + " s; see "
                + log);
      }
    } catch (Exception e) {
      if (peer != null) peer.close();
      system.terminate();
      throw e;
    }
  }

  /**
   * A pause after Pekko's round trips: they were seen to slow every round trip of the next second
   * or two, in both JVMs (the sockets' and the pipe's as much as Pekko's own), at any load.
   */
  static void settle() throws InterruptedException {
    Thread.sleep(2000);
  }

  /**
   * Runs every kind of round trip for about {@code time}, so that both JVMs' compilers are done
   * with them: Pekko's first, then the sockets', then a pause (see {@link #settle}).
   */
  void warmUp(Duration time) throws Exception {
    long start = System.nanoTime();
    while (System.nanoTime() - start < time.toNanos() / 2) {
      askSamples(200);
      tellPipelined(5000, 64);
    }
    while (System.nanoTime() - start < time.toNanos()) {
      tcpSamples(2000);
      tcpPipelined(2000, 64);
      unixSamples(2000);
    }
    settle();
  }

  /**
   * Seconds each of {@code count} asks takes, one after the other from this thread, as {@code
   * ClusterPool.apply} waits.
   */
  double[] askSamples(int count) throws Exception {
    double[] samples = new double[count];
    for (int i = 0; i < count; i++) {
      long value = i;
      long start = System.nanoTime();
      FloorPeer.Pong pong =
          AskPattern.<FloorPeer.Ping, FloorPeer.Pong>ask(
                  echo,
                  replyTo -> new FloorPeer.Ping(value, replyTo),
                  ASK_TIMEOUT,
                  system.scheduler())
              .toCompletableFuture()
              .get();
      samples[i] = (System.nanoTime() - start) / 1e9;
      MapThroughput.check(pong.value() == value);
    }
    return samples;
  }

  /**
   * Round trips per second of an actor here that keeps {@code window} pings in flight to the echo,
   * each answer to itself: the transport with many messages on their way, as the pool keeps them
   * (asks from a plain thread, each with a temporary actor of its own for the answer, stay near a
   * few thousand a second whatever the window).
   */
  double tellPipelined(int count, int window) throws Exception {
    CompletableFuture<Long> done = new CompletableFuture<>();
    long start = System.nanoTime();
    system.systemActorOf(
        Behaviors.<FloorPeer.Pong>setup(
            context -> {
              ActorRef<FloorPeer.Pong> self = context.getSelf();
              long[] sent = {Math.min(window, count)};
              long[] answered = {0};
              for (long i = 0; i < sent[0]; i++) echo.tell(new FloorPeer.Ping(i, self));
              return Behaviors.receive(FloorPeer.Pong.class)
                  .onMessage(
                      FloorPeer.Pong.class,
                      pong -> {
                        if (pong.value() != answered[0])
                          done.completeExceptionally(
                              new AssertionError(
                                  "answer " + pong.value() + ", " + answered[0] + " expected"));
                        answered[0]++;
                        if (sent[0] < count) echo.tell(new FloorPeer.Ping(sent[0]++, self));
                        if (answered[0] < count) return Behaviors.same();
                        done.complete(System.nanoTime() - start);
                        return Behaviors.stopped();
                      })
                  .build();
            }),
        "floor-pinger-" + PINGERS.incrementAndGet(),
        Props.empty());
    return count / (done.get(ASK_TIMEOUT.toSeconds(), TimeUnit.SECONDS) / 1e9);
  }

  /**
   * Seconds each of {@code count} 8-byte round trips over TCP on loopback takes, one after the
   * other.
   */
  double[] tcpSamples(int count) throws IOException {
    double[] samples = new double[count];
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      tcpOut.writeLong(i);
      tcpOut.flush();
      MapThroughput.check(tcpIn.readLong() == i);
      samples[i] = (System.nanoTime() - start) / 1e9;
    }
    return samples;
  }

  /** TCP round trips per second with {@code window} messages in flight, each written on its own. */
  double tcpPipelined(int count, int window) throws IOException {
    long start = System.nanoTime();
    for (int i = 0; i < Math.min(window, count); i++) tcpOut.writeLong(i);
    tcpOut.flush();
    for (int i = 0; i < count; i++) {
      MapThroughput.check(tcpIn.readLong() == i);
      if (i + window < count) {
        tcpOut.writeLong(i + window);
        tcpOut.flush();
      }
    }
    return count / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * Seconds each of {@code count} 8-byte round trips over a Unix domain socket takes, one after the
   * other.
   */
  double[] unixSamples(int count) throws IOException {
    double[] samples = new double[count];
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      unixBuffer.clear();
      unixBuffer.putLong(i).flip();
      while (unixBuffer.hasRemaining()) unix.write(unixBuffer);
      unixBuffer.clear();
      while (unixBuffer.hasRemaining()) {
        if (unix.read(unixBuffer) < 0) throw new IOException("the floor's Unix socket closed");
      }
      MapThroughput.check(unixBuffer.flip().getLong() == i);
      samples[i] = (System.nanoTime() - start) / 1e9;
    }
    return samples;
  }

  @Override
  public void close() {
    try {
      tcp.close();
      unix.close();
    } catch (IOException ignored) {
      // the peer goes anyway
    } finally {
      peer.close();
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }
  }
}
