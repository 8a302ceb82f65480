package org.clusterpool.coordinator.cli;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
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
  static PrintWriter stdout() {
    return new PrintWriter(
        new BufferedWriter(
            new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8),
            1 << 16),
        false);
  }
}
