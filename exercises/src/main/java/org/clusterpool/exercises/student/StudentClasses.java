package org.clusterpool.exercises.student;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.clusterpool.exercises.Exercise;
import org.clusterpool.exercises.RunOptions;
import org.clusterpool.exercises.harness.Implementation;
import org.clusterpool.exercises.report.OneLine;

/**
 * Students' solutions, loaded by class name from directories and jars of their own. Their classes
 * see clusterpool's (the exercise interfaces, Pekko), because the loader's parent is the loader of
 * clusterpool's own classes, the application class loader; so a class that implements {@code Bank}
 * implements the very same {@code Bank} the harness calls. Every way a class can be unusable is a
 * one-line {@link SolutionLoadException}; a class that loads but is wrong is not an error here: the
 * checker says so.
 */
public final class StudentClasses implements AutoCloseable {

  /**
   * The name of the loader of students' classes, as their stack frames show it ({@link
   * StackTraceElement#getClassLoaderName}): how a frame is known to be a student's.
   */
  public static final String LOADER_NAME = "clusterpool-student";

  private final URLClassLoader loader;
  private final List<Path> entries;

  private StudentClasses(URLClassLoader loader, List<Path> entries) {
    this.loader = loader;
    this.entries = entries;
  }

  /**
   * A loader over these directories and jars; with none, classes come from clusterpool's own class
   * path.
   */
  public static StudentClasses on(List<Path> entries) {
    List<URL> urls = new ArrayList<>();
    for (Path entry : entries) {
      if (!Files.exists(entry))
        throw new SolutionLoadException("classpath entry '" + entry + "' does not exist");
      try {
        urls.add(entry.toAbsolutePath().toUri().toURL());
      } catch (MalformedURLException e) {
        throw new SolutionLoadException(
            "classpath entry '" + entry + "' is not a usable path: " + e.getMessage());
      }
    }
    ClassLoader parent = StudentClasses.class.getClassLoader();
    return new StudentClasses(
        new URLClassLoader(LOADER_NAME, urls.toArray(URL[]::new), parent), List.copyOf(entries));
  }

  /**
   * The class {@code className} as an implementation of {@code exercise}: it must exist, be a
   * public concrete class that implements the exercise's interface, and have a public constructor
   * without arguments, which is called once here to make sure it does not throw.
   */
  public <S> Implementation<S> load(String className, Exercise<S, ?> exercise) {
    return load(className, exercise, RunOptions.DEFAULT_TIME_LIMIT);
  }

  /**
   * As {@link #load(String, Exercise)}, waiting at most {@code limit} for the trial construction: a
   * constructor that has not returned by then is no load error but a run that times out, so the
   * implementation is returned, and its first instance is that same construction, still pending
   * (the harness waits for it within the run's own limit, and reports it timed out).
   */
  public <S> Implementation<S> load(String className, Exercise<S, ?> exercise, Duration limit) {
    Class<S> type = exercise.solutionType();
    String what = "class '" + className + "'";
    Class<?> loaded;
    try {
      loaded = Class.forName(className, false, loader);
    } catch (ClassNotFoundException e) {
      throw new SolutionLoadException(
          what
              + " not found "
              + (entries.isEmpty()
                  ? "(no classpath was given)"
                  : "in " + String.join(", ", entries.stream().map(Path::toString).toList())));
    } catch (LinkageError e) {
      throw new SolutionLoadException(what + " cannot be loaded: " + oneLine(e));
    }
    if (!type.isAssignableFrom(loaded)) {
      throw new SolutionLoadException(
          what
              + " does not implement "
              + type.getName()
              + ", the interface of the "
              + exercise.name()
              + " exercise");
    }
    if (loaded.isInterface() || Modifier.isAbstract(loaded.getModifiers())) {
      throw new SolutionLoadException(what + " is abstract: give a class that can be instantiated");
    }
    if (!Modifier.isPublic(loaded.getModifiers()))
      throw new SolutionLoadException(what + " is not public");
    Constructor<? extends S> constructor;
    try {
      constructor = loaded.asSubclass(type).getConstructor();
    } catch (NoSuchMethodException e) {
      throw new SolutionLoadException(what + " has no public constructor without arguments");
    } catch (LinkageError e) {
      throw new SolutionLoadException(what + " cannot be loaded: " + oneLine(e));
    }
    FutureTask<S> trial = new FutureTask<>(() -> construct(constructor));
    Thread thread = new Thread(trial, loaded.getSimpleName() + "-construct");
    thread.setDaemon(true); // a constructor that never returns must not keep the JVM alive
    thread.start();
    try {
      trial.get(Math.max(1, limit.toNanos()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof RuntimeException || cause instanceof LinkageError)
        throw new SolutionLoadException(what + " threw while constructed: " + oneLine(cause));
      throw new SolutionLoadException(what + " cannot be constructed: " + oneLine(cause));
    } catch (TimeoutException e) {
      // handled below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SolutionLoadException(what + " was not constructed: interrupted");
    }
    if (!trial.isDone()) {
      // not unusable, only slow or stuck: stop it if it listens, and let the run construct it
      // again, on a thread the harness watches, bounded, and reported as timed out with what that
      // thread was doing (a loop, a wait)
      trial.cancel(true);
    }
    return Implementation.student(
        loaded.getSimpleName(), "your solution, " + className, () -> construct(constructor));
  }

  /** A new instance; what its constructor throws is rethrown as is, for the table to show. */
  private static <S> S construct(Constructor<? extends S> constructor) {
    try {
      return constructor.newInstance();
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) throw runtime;
      if (cause instanceof Error error) throw error;
      throw new IllegalStateException("the constructor threw " + oneLine(cause), cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot call the constructor: " + oneLine(e), e);
    }
  }

  private static String oneLine(Throwable thrown) {
    // a static initializer's exception arrives wrapped, with the student's own exception as its
    // cause
    Throwable e =
        thrown instanceof ExceptionInInitializerError && thrown.getCause() != null
            ? thrown.getCause()
            : thrown;
    String message = e.getMessage();
    String text =
        e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    // spaces for the line breaks and tabs, escapes for the rest (an ESC would drive the terminal)
    return OneLine.of(text.replaceAll("\\s+", " ").trim());
  }

  @Override
  public void close() throws IOException {
    loader.close();
  }
}
