package org.clusterpool.coordinator.cli;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Standard output and error as the CLI uses them. */
final class Terminal {
  private Terminal() {}

  /**
   * Whether standard error is a terminal. Java cannot tell by itself (System.console() looks at
   * stdin and stdout), so {@code bin/clusterpool} tests it with {@code [ -t 2 ]} and passes the
   * answer on.
   */
  static boolean stderrIsTerminal() {
    return Boolean.getBoolean("clusterpool.stderr.tty");
  }

  /**
   * Whether standard output is a terminal, as {@code bin/clusterpool} found it ({@code [ -t 1 ]}).
   */
  static boolean stdoutIsTerminal() {
    return Boolean.getBoolean("clusterpool.stdout.tty");
  }

  /**
   * A large buffer over stdout: ten million result lines should cost the time to compute them, not
   * to print them.
   */
  static Stdout stdout() {
    return stdout(new FileOutputStream(FileDescriptor.out));
  }

  /** As {@link #stdout()}, over {@code stream}. */
  static Stdout stdout(OutputStream stream) {
    return new Stdout(new Failures(stream));
  }

  /**
   * Standard output, which keeps why a write failed ("No space left on device", "Broken pipe"): a
   * {@code PrintWriter} keeps only that one did.
   */
  static final class Stdout extends PrintWriter {
    private final Failures stream;

    private Stdout(Failures stream) {
      super(new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16));
      this.stream = stream;
    }

    /** The first error a write met, if one did. */
    IOException failure() {
      return stream.failure;
    }
  }

  private static final class Failures extends FilterOutputStream {
    private volatile IOException failure;

    Failures(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      try {
        out.write(bytes, offset, length);
      } catch (IOException e) {
        if (failure == null) failure = e;
        throw e;
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (IOException e) {
        if (failure == null) failure = e;
        throw e;
      }
    }
  }
}
