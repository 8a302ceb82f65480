package org.clusterpool.coordinator.k8s;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * fabric8 reads leniently: a field its model does not know (a typo, a field at the wrong level, one
 * of another API version) lands in the object's {@code additionalProperties} instead of failing,
 * and Kubernetes would drop it or refuse it at apply time. This walks the whole typed tree and
 * names every such field by its path.
 */
final class UnknownFields {
  private UnknownFields() {}

  /**
   * Paths like {@code spec.template.spec.containers[0].readinesProbe}; empty when every field was
   * known.
   */
  static List<String> in(Object root) {
    List<String> found = new ArrayList<>();
    walk(root, "", found);
    return found;
  }

  private static void walk(Object value, String path, List<String> found) {
    if (value == null) return;
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) walk(item, path + "[" + i++ + "]", found);
      return;
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet())
        walk(entry.getValue(), path + "[" + entry.getKey() + "]", found);
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.")) return; // text, numbers, booleans
    for (Class<?> type = value.getClass();
        type != null && type != Object.class;
        type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers())) continue;
        Object fieldValue = read(field, value);
        if (field.getName().equals("additionalProperties")) {
          if (fieldValue instanceof Map<?, ?> unknown) {
            for (Object key : unknown.keySet())
              found.add(path.isEmpty() ? key.toString() : path + "." + key);
          }
        } else {
          walk(fieldValue, path.isEmpty() ? field.getName() : path + "." + field.getName(), found);
        }
      }
    }
  }

  private static Object read(Field field, Object owner) {
    try {
      field.setAccessible(true);
      return field.get(owner);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot read " + field + ": " + e.getMessage(), e);
    }
  }
}
