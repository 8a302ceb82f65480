package org.clusterpool.coordinator.k8s;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * What the image is made of, as the Jib plugin of {@code coordinator/app/pom.xml} says, and the
 * project's version: the manifests must agree with both (user, ports, image tag).
 */
record JibSettings(
    String user, List<Integer> ports, String mainClass, List<String> args, String projectVersion) {

  static JibSettings read() {
    Path root = Manifests.directory().getParent();
    try {
      XPath xpath = XPathFactory.newInstance().newXPath();
      Document coordinator = parse(root.resolve("coordinator/app/pom.xml"));
      String jib =
          "/project/build/plugins/plugin[artifactId='jib-maven-plugin']/configuration/container";
      String user = xpath.evaluate(jib + "/user", coordinator).trim();
      List<Integer> ports = new ArrayList<>();
      NodeList portNodes =
          (NodeList) xpath.evaluate(jib + "/ports/port", coordinator, XPathConstants.NODESET);
      for (int i = 0; i < portNodes.getLength(); i++)
        ports.add(Integer.parseInt(portNodes.item(i).getTextContent().trim()));
      List<String> args = new ArrayList<>();
      NodeList argNodes =
          (NodeList) xpath.evaluate(jib + "/args/arg", coordinator, XPathConstants.NODESET);
      for (int i = 0; i < argNodes.getLength(); i++)
        args.add(argNodes.item(i).getTextContent().trim());
      String mainClass = xpath.evaluate(jib + "/mainClass", coordinator).trim();
      String version = xpath.evaluate("/project/version", parse(root.resolve("pom.xml"))).trim();
      if (user.isEmpty() || ports.isEmpty() || mainClass.isEmpty() || version.isEmpty()) {
        throw new AssertionError(
            "the Jib plugin of coordinator/app/pom.xml names no user, ports or main class, or the"
                + " root pom no version");
      }
      return new JibSettings(user, List.copyOf(ports), mainClass, List.copyOf(args), version);
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError("cannot read the poms: " + e.getMessage(), e);
    }
  }

  private static Document parse(Path pom) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(false); // XPath without prefixes for the POM namespace
    return factory.newDocumentBuilder().parse(pom.toFile());
  }
}
