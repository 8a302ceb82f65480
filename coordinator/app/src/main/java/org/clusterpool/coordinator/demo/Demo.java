package org.clusterpool.coordinator.demo;

/** One of the course's examples, runnable: {@code clusterpool demo NAME}. */
public interface Demo {

  /** The name users type. */
  String name();

  /** One line: which part of the course it shows. */
  String summary();

  void run(DemoContext context) throws Exception;
}
