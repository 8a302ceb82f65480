package org.clusterpool.coordinator.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.clusterpool.coordinator.members.ClientNode;
import org.clusterpool.node.tls.MemberTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java block of README.md compiles against the built classes, as a user would paste it; the
 * ones with a {@code main} also run, in a JVM of their own, within a bound. A block that declares a
 * type is compiled as it is; a block of statements (the course's {@code main()} beside its Python)
 * is compiled as the body of a method, with the imports a reader of that part of the README has in
 * mind ({@link #SNIPPET_IMPORTS}).
 */
@Timeout(600)
class ReadmeJavaTest {

  /**
   * What a snippet of statements may use without importing it: the JDK's basics, clusterpool's API
   * and its config.
   */
  static final List<String> SNIPPET_IMPORTS =
      List.of(
          "java.util.*",
          "java.time.*",
          "java.nio.file.Path",
          "com.typesafe.config.ConfigFactory",
          "org.clusterpool.coordinator.pool.*",
          "org.clusterpool.node.task.*",
          "org.clusterpool.node.task.builtin.*",
          "org.clusterpool.node.queue.*",
          "org.clusterpool.node.pipe.*");

  /** How long a README program may run: the Java section's program takes about two seconds. */
  private static final long RUN_BOUND_SECONDS = 120;

  private static final Pattern TYPE =
      Pattern.compile(
          "^(?:public\\s+|final\\s+|abstract\\s+)*(?:class|interface|record|enum)\\s+(\\w+)",
          Pattern.MULTILINE);
  private static final Pattern PACKAGE =
      Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

  @TempDir Path classes;

  /**
   * The member that a program reading its arguments joins ({@code args[0]}: README's program of
   * one's own, which takes a member's address): started here once, over plain TCP, on loopback.
   */
  private ClientNode seed;

  private String seedAddress;

  @AfterEach
  void stopSeed() {
    if (seed != null) seed.close();
  }

  private List<String> arguments(Unit unit) throws IOException {
    if (!unit.source().contains("args[0]")) return List.of();
    if (seed == null) {
      int port;
      try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = free.getLocalPort();
      }
      seedAddress = "pekko://clusterpool@127.0.0.1:" + port;
      seed =
          ClientNode.start("local-cluster", List.of(seedAddress), port, MemberTransport.plainTcp());
    }
    return List.of(seedAddress);
  }

  /** One block as the compiler sees it; {@code prelude}: the lines put before the block's own. */
  record Unit(Readme.Block block, String className, String source, boolean hasMain, int prelude) {}

  static Unit unit(Readme.Block block) {
    String code = String.join("\n", block.lines()) + "\n";
    Matcher type = TYPE.matcher(code);
    if (type.find()) {
      Matcher pkg = PACKAGE.matcher(code);
      String name = (pkg.find() ? pkg.group(1) + "." : "") + type.group(1);
      return new Unit(block, name, code, code.contains("static void main(String[] args)"), 0);
    }
    String name = "ReadmeSnippetAtLine" + block.firstLine();
    StringBuilder source = new StringBuilder();
    for (String imported : SNIPPET_IMPORTS) source.append("import ").append(imported).append(";\n");
    // one line per import, and the snippet starts on the next: the compiler's line numbers map back
    // to the README
    source
        .append("class ")
        .append(name)
        .append(" { static void snippet() throws Exception {\n")
        .append(code)
        .append("}}\n");
    return new Unit(block, name, source.toString(), false, SNIPPET_IMPORTS.size() + 1);
  }

  @Test
  void everyJavaBlockOfTheReadmeCompilesAndEveryProgramRuns() throws Exception {
    List<Readme.Block> blocks = Readme.javaBlocks(Readme.lines());
    assertFalse(blocks.isEmpty(), "README.md has Java blocks");
    List<Unit> units = new ArrayList<>();
    for (Readme.Block block : blocks) units.add(unit(block));
    compile(units);
    int ran = 0;
    for (Unit unit : units) {
      if (!unit.hasMain()) continue;
      run(unit);
      ran++;
    }
    assertTrue(ran > 0, "at least the Java section's program runs");
  }

  private void compile(List<Unit> units) throws IOException {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<JavaFileObject> sources = new ArrayList<>();
    for (Unit unit : units) sources.add(new Source(unit));
    try (StandardJavaFileManager files =
        compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      List<String> options =
          List.of(
              "-classpath",
              System.getProperty("java.class.path"),
              "-d",
              classes.toString(),
              "-proc:none",
              "--release",
              "17");
      boolean compiled = compiler.getTask(null, files, diagnostics, options, null, sources).call();
      List<String> errors = new ArrayList<>();
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        if (d.getKind() != Diagnostic.Kind.ERROR) continue;
        Unit unit = ((Source) d.getSource()).unit;
        long readmeLine = unit.block().firstLine() + d.getLineNumber() - 1 - unit.prelude();
        errors.add("README.md:" + readmeLine + ": " + d.getMessage(Locale.ROOT));
      }
      if (!compiled || !errors.isEmpty())
        fail("README's Java does not compile:\n" + String.join("\n", errors));
    }
  }

  private void run(Unit unit) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path output = Files.createTempFile(classes, "run", ".txt");
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx512m",
                "-cp",
                classes + File.pathSeparator + System.getProperty("java.class.path"),
                unit.className()));
    command.addAll(arguments(unit));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    try {
      boolean ended = process.waitFor(RUN_BOUND_SECONDS, TimeUnit.SECONDS);
      String printed = Files.readString(output);
      assertTrue(
          ended,
          "README.md:"
              + unit.block().firstLine()
              + ": "
              + unit.className()
              + " did not end within "
              + RUN_BOUND_SECONDS
              + " s; it printed:\n"
              + printed);
      assertEquals(
          0,
          process.exitValue(),
          "README.md:"
              + unit.block().firstLine()
              + ": "
              + unit.className()
              + " failed:\n"
              + printed);
      assertFalse(printed.isBlank(), unit.className() + " printed nothing");
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  /** A block's source, in memory, named as its class so that a public class compiles. */
  private static final class Source extends SimpleJavaFileObject {
    final Unit unit;

    Source(Unit unit) {
      super(URI.create("string:///" + unit.className().replace('.', '/') + ".java"), Kind.SOURCE);
      this.unit = unit;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return unit.source();
    }
  }
}
