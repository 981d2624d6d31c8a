package org.ledgergossip.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The build's shape, checked on the reactor's pom files: the layering of ARCHITECTURE.md (lower
 * layers never depend on higher ones or sideways) and a BOM that lists exactly the published
 * modules. It lives in the kit because it is a conformance rule of this repository.
 */
class ModuleLayeringTest {

  /** ARCHITECTURE.md's layer table; modules outside the layering map to null. */
  private static final Map<String, Integer> LAYERS =
      Map.ofEntries(
          Map.entry("gossip-api", 0),
          Map.entry("gossip-msp", 1),
          Map.entry("gossip-transport-inmemory", 1),
          Map.entry("gossip-transport-netty", 1),
          Map.entry("gossip-transport-grpc", 1),
          Map.entry("gossip-ledger", 1),
          Map.entry("gossip-core", 2),
          Map.entry("gossip-membership", 3),
          Map.entry("gossip-election", 3),
          Map.entry("gossip-statetransfer", 3),
          Map.entry("gossip-node", 4),
          Map.entry("gossip-orderer", 4),
          Map.entry("gossip-peer", 5));

  /** Modules outside the layers: they may use any layer, and no main code may use them. */
  private static final List<String> UNLAYERED =
      List.of("gossip-tck", "gossip-tck-network", "gossip-bench", "gossip-bom");

  /** Modules that are built but not published (so not in the BOM). */
  private static final List<String> UNPUBLISHED = List.of("gossip-bench", "gossip-bom");

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void everyModuleHasAPlaceInTheLayering() throws Exception {
    for (String module : modules()) {
      assertThat(LAYERS.containsKey(module) || UNLAYERED.contains(module))
          .as("module %s is missing from ARCHITECTURE.md's layer table (and this test)", module)
          .isTrue();
    }
  }

  @Test
  void noModuleDependsOnAHigherOrSameLayerOrOnTheKit() throws Exception {
    List<String> breaches = new ArrayList<>();
    for (String module : modules()) {
      Integer layer = LAYERS.get(module);
      for (Element dep : ourDependencies(module)) {
        String target = text(dep, "artifactId");
        boolean testScope = "test".equals(text(dep, "scope"));
        if (testScope) {
          continue;
        }
        if ((target.equals("gossip-tck") || target.equals("gossip-tck-network"))
            && !UNLAYERED.contains(module)) {
          breaches.add(module + " depends on gossip-tck outside test scope");
        }
        Integer targetLayer = LAYERS.get(target);
        if (layer != null && targetLayer != null && targetLayer >= layer) {
          breaches.add(
              module
                  + " (layer "
                  + layer
                  + ") depends on "
                  + target
                  + " (layer "
                  + targetLayer
                  + ")");
        }
      }
    }
    assertThat(breaches).isEmpty();
  }

  @Test
  void bomListsExactlyThePublishedModules() throws Exception {
    Document bom = parse(ROOT.resolve("gossip-bom/pom.xml"));
    TreeSet<String> listed = new TreeSet<>();
    NodeList deps = bom.getElementsByTagName("dependency");
    for (int i = 0; i < deps.getLength(); i++) {
      Element d = (Element) deps.item(i);
      assertThat(text(d, "groupId")).isEqualTo("org.ledgergossip");
      assertThat(text(d, "version"))
          .as("BOM version of " + text(d, "artifactId"))
          .isEqualTo(rootVersion());
      listed.add(text(d, "artifactId"));
    }
    TreeSet<String> published = new TreeSet<>(modules());
    published.removeAll(UNPUBLISHED);
    assertThat(listed).isEqualTo(published);
  }

  @Test
  void theBomConsumerOfCiUsesEveryModuleOfTheBom() throws Exception {
    TreeSet<String> inBom = new TreeSet<>();
    NodeList bomDeps = parse(ROOT.resolve("gossip-bom/pom.xml")).getElementsByTagName("dependency");
    for (int i = 0; i < bomDeps.getLength(); i++) {
      inBom.add(text((Element) bomDeps.item(i), "artifactId"));
    }
    TreeSet<String> used = new TreeSet<>();
    NodeList deps =
        parse(ROOT.resolve(".ci/bom-consumer/pom.xml")).getElementsByTagName("dependency");
    for (int i = 0; i < deps.getLength(); i++) {
      Element d = (Element) deps.item(i);
      if ("org.ledgergossip".equals(text(d, "groupId"))
          && !"gossip-bom".equals(text(d, "artifactId"))) {
        used.add(text(d, "artifactId"));
      }
    }
    assertThat(used).as("modules the CI consumer resolves through the BOM").isEqualTo(inBom);
  }

  private static List<String> modules() throws Exception {
    Document root = parse(ROOT.resolve("pom.xml"));
    NodeList nodes = root.getElementsByTagName("module");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      out.add(nodes.item(i).getTextContent().trim());
    }
    assertThat(out).as("modules of the root pom").isNotEmpty();
    return out;
  }

  private static String rootVersion() throws Exception {
    Element project = parse(ROOT.resolve("pom.xml")).getDocumentElement();
    return text(project, "version");
  }

  private static List<Element> ourDependencies(String module) throws Exception {
    Document pom = parse(ROOT.resolve(module).resolve("pom.xml"));
    List<Element> out = new ArrayList<>();
    NodeList deps = pom.getElementsByTagName("dependency");
    for (int i = 0; i < deps.getLength(); i++) {
      Element d = (Element) deps.item(i);
      Node parent = d.getParentNode().getParentNode();
      boolean managed = parent != null && "dependencyManagement".equals(parent.getNodeName());
      if (!managed && "org.ledgergossip".equals(text(d, "groupId"))) {
        out.add(d);
      }
    }
    return out;
  }

  private static Document parse(Path pom) throws IOException {
    assertThat(Files.exists(pom)).as(pom + " exists").isTrue();
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return f.newDocumentBuilder().parse(pom.toFile());
    } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
      throw new IOException("cannot read " + pom, e);
    }
  }

  /** Text of the direct child {@code name} of {@code e}, or "" if there is none. */
  private static String text(Element e, String name) {
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element child && child.getTagName().equals(name)) {
        return child.getTextContent().trim();
      }
    }
    return "";
  }
}
