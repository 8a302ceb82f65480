package org.clusterpool.coordinator.k8s;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The manifests of {@code k8s/}, read into fabric8's typed Kubernetes model: each document becomes
 * the class of its kind ({@code Deployment}, {@code Role}, ...). A kind the model does not know
 * fails here, so a typo in {@code kind} or {@code apiVersion} cannot pass as a generic resource.
 */
final class Manifests {
  private Manifests() {}

  /**
   * Duplicate keys are an error in Kubernetes' own YAML reader too (the last one would silently
   * win).
   */
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** {@code k8s/} of this checkout; the tests run in {@code coordinator/app/}. */
  static Path directory() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("k8s/kustomization.yaml"))) return dir.resolve("k8s");
    }
    throw new IllegalStateException(
        "no k8s/kustomization.yaml above " + Path.of("").toAbsolutePath());
  }

  /** The resources that a kustomization lists, each file read as it is written. */
  static List<HasMetadata> ofKustomization(Path dir) {
    try {
      JsonNode kustomization = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
      List<HasMetadata> out = new ArrayList<>();
      for (JsonNode resource : kustomization.path("resources")) {
        Path file = dir.resolve(resource.asText());
        out.addAll(parse(Files.readString(file), file.toString()));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A kustomization itself: its namespace, images, ... */
  static JsonNode kustomization(Path dir) {
    try {
      return YAML.readTree(dir.resolve("kustomization.yaml").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every document of a YAML stream, typed; {@code source} names it in errors. */
  static List<HasMetadata> parse(String yaml, String source) {
    List<HasMetadata> out = new ArrayList<>();
    try (MappingIterator<KubernetesResource> documents =
        YAML.readerFor(KubernetesResource.class).readValues(yaml)) {
      int index = 0;
      while (documents.hasNext()) {
        KubernetesResource resource = documents.next();
        index++;
        if (resource == null) continue; // an empty document, like a trailing ---
        if (resource instanceof GenericKubernetesResource generic) {
          throw new AssertionError(
              source
                  + ", document "
                  + index
                  + ": kind "
                  + generic.getApiVersion()
                  + "/"
                  + generic.getKind()
                  + " is not one of Kubernetes' typed kinds");
        }
        if (!(resource instanceof HasMetadata object)) {
          throw new AssertionError(
              source
                  + ", document "
                  + index
                  + ": "
                  + resource.getClass().getSimpleName()
                  + " has no metadata");
        }
        out.add(object);
      }
    } catch (IOException
        | RuntimeException e) { // the iterator wraps the parser's errors in RuntimeException
      throw new AssertionError(source + " does not parse: " + e.getMessage(), e);
    }
    return out;
  }

  /** The one resource of this type and name. */
  static <T extends HasMetadata> T one(List<HasMetadata> resources, Class<T> type, String name) {
    List<T> found =
        all(resources, type).stream().filter(r -> r.getMetadata().getName().equals(name)).toList();
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one " + type.getSimpleName() + " named " + name + ", found " + found.size());
    }
    return found.get(0);
  }

  static <T extends HasMetadata> List<T> all(List<HasMetadata> resources, Class<T> type) {
    return resources.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** "Deployment clusterpool-worker": how errors name a resource. */
  static String describe(HasMetadata resource) {
    return resource.getKind() + " " + resource.getMetadata().getName();
  }
}
