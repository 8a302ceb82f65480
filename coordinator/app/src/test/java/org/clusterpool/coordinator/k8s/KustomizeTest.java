package org.clusterpool.coordinator.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl kustomize k8s/} renders what {@code kubectl apply -k k8s/} sends (it needs no
 * cluster): the namespace and image tag are set where they must be. Skipped, saying so, where
 * kubectl is not installed.
 */
class KustomizeTest {

  @Test
  void kubectlKustomizeRendersTheBaseIntoOneNamespaceWithTheProjectsImage() throws Exception {
    Path dir = Manifests.directory();
    List<HasMetadata> rendered = Manifests.parse(kustomize(dir), "kubectl kustomize k8s/");
    List<String> unknown = new ArrayList<>();
    for (HasMetadata resource : rendered) {
      for (String field : UnknownFields.in(resource))
        unknown.add(Manifests.describe(resource) + ": " + field);
    }
    assertEquals(List.of(), unknown);
    assertEquals(
        Manifests.ofKustomization(dir).stream().map(Manifests::describe).sorted().toList(),
        rendered.stream().map(Manifests::describe).sorted().toList(),
        "every resource of the kustomization, once");

    String namespace = Manifests.kustomization(dir).path("namespace").asText();
    assertEquals(
        namespace, Manifests.all(rendered, Namespace.class).get(0).getMetadata().getName());
    for (HasMetadata resource : rendered) {
      if (!(resource instanceof Namespace))
        assertEquals(
            namespace, resource.getMetadata().getNamespace(), Manifests.describe(resource));
    }
    RoleBinding binding = Manifests.all(rendered, RoleBinding.class).get(0);
    assertEquals(
        namespace,
        binding.getSubjects().get(0).getNamespace(),
        "the ServiceAccount is bound in the pods' namespace");

    String image = "clusterpool:" + JibSettings.read().projectVersion();
    for (Deployment deployment : Manifests.all(rendered, Deployment.class)) {
      for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
        assertEquals(
            image,
            container.getImage(),
            Manifests.describe(deployment)
                + ": the image that jib builds (clusterpool:<project version>)");
      }
    }
  }

  @Test
  void theOptionalAutoscalerRendersIntoTheSameNamespace() throws Exception {
    Path dir = Manifests.directory();
    List<HasMetadata> rendered =
        Manifests.parse(kustomize(dir.resolve("autoscale")), "kubectl kustomize k8s/autoscale/");
    String namespace = Manifests.kustomization(dir).path("namespace").asText();
    assertEquals(1, rendered.size());
    assertEquals(namespace, rendered.get(0).getMetadata().getNamespace());
    assertEquals(List.of(), UnknownFields.in(rendered.get(0)));
  }

  /**
   * The example's overlay, {@code examples/cube-task/k8s/}: everything of {@code k8s/}, the same,
   * but on the image that carries the example's tasks.
   */
  @Test
  void theOverlayOfTheExampleRunsTheSameClusterOnTheImageWithItsTasks() throws Exception {
    Path dir = Manifests.directory();
    Path overlay = dir.getParent().resolve("examples/cube-task/k8s");
    List<HasMetadata> base = Manifests.parse(kustomize(dir), "kubectl kustomize k8s/");
    List<HasMetadata> rendered =
        Manifests.parse(kustomize(overlay), "kubectl kustomize examples/cube-task/k8s/");
    assertEquals(
        base.stream().map(Manifests::describe).sorted().toList(),
        rendered.stream().map(Manifests::describe).sorted().toList());
    JsonNode images = Manifests.kustomization(overlay).path("images").get(0);
    String image = images.path("newName").asText() + ":" + images.path("newTag").asText();
    assertEquals("clusterpool-cube-task:" + JibSettings.read().projectVersion(), image);
    for (Deployment deployment : Manifests.all(rendered, Deployment.class)) {
      for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
        assertEquals(image, container.getImage(), Manifests.describe(deployment));
      }
    }
  }

  /** The output of {@code kubectl kustomize DIR}; skips the test when kubectl is missing. */
  private static String kustomize(Path dir) throws IOException, InterruptedException {
    Optional<Path> kubectl = onPath("kubectl");
    assumeTrue(
        kubectl.isPresent(),
        "kubectl is not installed: the kustomize rendering of k8s/ is not checked here"
            + " (apt-get install kubernetes-client; .ci/run does)");
    Path out = Files.createTempFile("kustomize", ".yaml");
    Path err = Files.createTempFile("kustomize", ".err");
    Process process =
        new ProcessBuilder(kubectl.get().toString(), "kustomize", dir.toString())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    try {
      boolean ended = process.waitFor(120, TimeUnit.SECONDS);
      assertTrue(ended, "kubectl kustomize " + dir + " did not end within 120 s");
      assertEquals(
          0, process.exitValue(), "kubectl kustomize " + dir + ": " + Files.readString(err));
      return Files.readString(out);
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static Optional<Path> onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) return Optional.of(candidate);
    }
    return Optional.empty();
  }
}
