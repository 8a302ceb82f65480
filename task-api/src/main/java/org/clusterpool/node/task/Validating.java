package org.clusterpool.node.task;

/** Which task classes override {@link Task#validate}, found once per class. */
final class Validating {
  private Validating() {}

  static final ClassValue<Boolean> CLASSES =
      new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
          try {
            return type.getMethod("validate", Object.class).getDeclaringClass() != Task.class;
          } catch (NoSuchMethodException e) {
            return true;
          }
        }
      };
}
