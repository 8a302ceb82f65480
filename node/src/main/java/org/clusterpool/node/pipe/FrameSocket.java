package org.clusterpool.node.pipe;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * The socket of a direct connection (a pipe's, or a {@link
 * org.clusterpool.node.directlink.DirectLinks direct link}'s), carrying frames: a length (4 bytes,
 * what follows it), a type (1 byte), the payload. The channel is non-blocking and waits through
 * selectors of its own, because a thread interrupted in a blocking channel operation closes the
 * channel: a user's interrupt must cancel that user's call, not break the pipe.
 *
 * <p>One thread reads at a time, one writes at a time: the end that uses it sees to both.
 */
public final class FrameSocket implements AutoCloseable {
  static final byte DATA = 1;
  static final byte CREDIT = 2;
  static final byte BYE = 3;

  /** One frame as read: its type and its payload. */
  public record Frame(byte type, byte[] payload) {
    long number() {
      return ByteBuffer.wrap(payload).getLong();
    }
  }

  private static final int HEADER = 5;

  private final SocketChannel channel;
  private final Selector readable;
  private final Selector writable;
  private final int maxPayload;

  /** Bytes read and not yet taken, between position and limit. */
  private ByteBuffer in = ByteBuffer.allocate(16 * 1024).flip();

  private volatile boolean closed;

  /** Told when a write finds the socket full, and when that write has gone out after all. */
  private volatile Runnable writeBlocked = () -> {};

  private volatile Runnable writeResumed = () -> {};

  /**
   * {@code channel}: connected, and already past the handshake; {@code maxPayload}: a larger frame
   * is refused.
   */
  public FrameSocket(SocketChannel channel, int maxPayload) throws IOException {
    this.channel = channel;
    this.maxPayload = maxPayload;
    channel.configureBlocking(false);
    Selector read = Selector.open();
    Selector write = null;
    try {
      write = Selector.open();
      channel.register(read, SelectionKey.OP_READ);
      channel.register(write, SelectionKey.OP_WRITE);
    } catch (IOException | RuntimeException e) { // out of file descriptors, say: none kept
      read.close();
      if (write != null) write.close();
      throw e;
    }
    this.readable = read;
    this.writable = write;
  }

  /**
   * What {@link #read} returns when no whole frame came in its time: the bytes of one begun stay
   * for the next read.
   */
  public static final Frame NONE = new Frame((byte) 0, new byte[0]);

  private enum Fill {
    FILLED,
    TIMEOUT,
    END
  }

  /**
   * The next frame, waiting up to {@code waitMillis} for it (0: only what has come already); {@link
   * #NONE} when no whole frame came in that time, or the waiting thread was interrupted; null when
   * the other side closed the connection between two frames.
   */
  public Frame read(long waitMillis) throws IOException {
    long deadline = System.nanoTime() + waitMillis * 1_000_000;
    Fill header = fill(HEADER, deadline);
    if (header == Fill.END && in.remaining() == 0) return null;
    if (header != Fill.FILLED) return ended(header);
    int length = in.getInt(in.position());
    if (length < 1 || length - 1 > maxPayload) {
      throw new IOException(
          "a frame of "
              + length
              + " bytes came, more than the "
              + (maxPayload + 1)
              + " a message may take");
    }
    Fill body = fill(4 + length, deadline);
    if (body != Fill.FILLED) return ended(body);
    in.getInt();
    byte type = in.get();
    byte[] payload = new byte[length - 1];
    in.get(payload);
    return new Frame(type, payload);
  }

  private static Frame ended(Fill fill) throws EOFException {
    if (fill == Fill.END) throw new EOFException("the connection ended in the middle of a frame");
    return NONE;
  }

  /**
   * Reads until {@code bytes} are buffered, the deadline passes, the stream ends, or the thread is
   * interrupted.
   */
  private Fill fill(int bytes, long deadline) throws IOException {
    while (in.remaining() < bytes) {
      if (in.capacity() < bytes) {
        ByteBuffer larger = ByteBuffer.allocate(Math.max(bytes, 2 * in.capacity()));
        larger.put(in).flip();
        in = larger;
      }
      in.compact();
      int n;
      try {
        n = channel.read(in);
      } finally {
        in.flip();
      }
      if (n < 0) return Fill.END;
      if (n > 0) continue;
      long left = deadline - System.nanoTime();
      if (left <= 0 || Thread.currentThread().isInterrupted()) return Fill.TIMEOUT;
      await(readable, Math.max(1, left / 1_000_000));
    }
    return Fill.FILLED;
  }

  /**
   * {@code blocked} runs when a write finds the socket full (the other side reads no more for now),
   * {@code resumed} when that write is done: the end reads meanwhile, so that two sides writing
   * into full sockets do not wait for each other.
   */
  void onFullSocket(Runnable blocked, Runnable resumed) {
    this.writeBlocked = blocked;
    this.writeResumed = resumed;
  }

  void writeData(byte[] payload) throws IOException {
    write(frame(DATA, payload));
  }

  /** A frame of {@code type} around {@code payload}, ready to write. */
  public static ByteBuffer frame(byte type, byte[] payload) {
    ByteBuffer frame = ByteBuffer.allocate(HEADER + payload.length);
    return frame.putInt(1 + payload.length).put(type).put(payload).flip();
  }

  /**
   * Writes what the socket takes of {@code frame} now, without waiting; whether all of it went. The
   * rest, if any, must be written before anything else ({@link #writeAll}).
   */
  public boolean writeNow(ByteBuffer frame) throws IOException {
    if (closed) throw new ClosedChannelException();
    channel.write(frame);
    return !frame.hasRemaining();
  }

  /** Writes the rest of {@code frame}, waiting for room as long as it takes. */
  public void writeAll(ByteBuffer frame) throws IOException {
    write(frame);
  }

  void writeNumber(byte type, long number) throws IOException {
    ByteBuffer frame = ByteBuffer.allocate(HEADER + 8);
    frame.putInt(9).put(type).putLong(number).flip();
    write(frame);
  }

  /**
   * Writes a number frame if the socket takes it now, and false, with nothing written, if it takes
   * none of it: for a thread that must not wait for room. Thirteen bytes go whole or not at all
   * into a socket with any room; should part of them go, the rest waits for room, as it must.
   */
  boolean tryWriteNumber(byte type, long number) throws IOException {
    if (closed) throw new ClosedChannelException();
    ByteBuffer frame = ByteBuffer.allocate(HEADER + 8);
    frame.putInt(9).put(type).putLong(number).flip();
    if (channel.write(frame) == 0) return false;
    if (frame.hasRemaining()) write(frame);
    return true;
  }

  /**
   * Writes the whole frame: half a frame would break the stream for good. An interrupt that comes
   * meanwhile is kept for the caller's next wait rather than answered here.
   */
  private void write(ByteBuffer frame) throws IOException {
    boolean interrupted = false;
    boolean blocked = false;
    try {
      while (frame.hasRemaining()) {
        if (channel.write(frame) == 0) {
          if (!blocked) {
            blocked = true;
            writeBlocked.run();
          }
          await(writable, 1000); // a bound, so that a close that raced with this wait is seen
          interrupted |= Thread.interrupted();
        }
      }
    } finally {
      if (blocked) writeResumed.run();
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  private void await(Selector selector, long millis) throws IOException {
    if (closed) throw new ClosedChannelException();
    try {
      selector.select(millis);
      selector.selectedKeys().clear();
    } catch (ClosedSelectorException e) {
      throw new ClosedChannelException();
    }
    if (closed) throw new ClosedChannelException();
  }

  /**
   * Closes the connection: a thread waiting in it wakes with an error. Closing twice does nothing.
   */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    closeQuietly(channel);
    readable.wakeup();
    writable.wakeup();
    closeQuietly(readable);
    closeQuietly(writable);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // closing: nothing more to do with it
    }
  }
}
