package org.ledgergossip.msp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.msp.Cryptogen.Spec;

/**
 * Writes one organisation of {@link Cryptogen#generate}: its CAs, its verifying MSP, its nodes and
 * users, as Fabric's {@code cmd/cryptogen} ({@code generatePeerOrg}, {@code generateOrdererOrg})
 * and {@code internal/cryptogen/msp} ({@code GenerateLocalMSP}, {@code GenerateVerifyingMSP}).
 * Stateless.
 */
final class CryptogenWriter {

  enum NodeType {
    CLIENT("client"),
    ADMIN("admin"),
    PEER("peer"),
    ORDERER("orderer");

    final String ou;

    NodeType(String ou) {
      this.ou = ou;
    }
  }

  /** The CAs of one organisation. */
  private record OrgCas(
      CertificateAuthority root,
      @Nullable CertificateAuthority intermediate,
      CertificateAuthority tls) {
    CertificateAuthority signing() {
      return intermediate != null ? intermediate : root;
    }
  }

  private CryptogenWriter() {}

  static void generateOrg(
      Path orgDir,
      String domain,
      NodeType nodeType,
      List<String> hosts,
      Spec spec,
      Instant notBefore,
      Instant notAfter)
      throws IOException {
    CertificateAuthority root =
        CertificateAuthority.root(domain, "ca." + domain, notBefore, notAfter);
    root.write(orgDir.resolve("ca"));
    CertificateAuthority ica = null;
    if (spec.intermediateCa()) {
      ica = root.intermediate(domain, "ica." + domain, notBefore, notAfter);
      ica.write(orgDir.resolve("ica"));
    }
    CertificateAuthority tls =
        CertificateAuthority.root(domain, "tlsca." + domain, notBefore, notAfter);
    tls.write(orgDir.resolve("tlsca"));
    OrgCas cas = new OrgCas(root, ica, tls);

    String adminName = "Admin@" + domain;
    Path usersDir = orgDir.resolve("users");
    X509Certificate admin =
        localMsp(
            usersDir.resolve(adminName),
            adminName,
            NodeType.ADMIN,
            List.of(),
            cas,
            spec,
            null,
            notBefore,
            notAfter);
    int users = nodeType == NodeType.PEER ? spec.users() : 0;
    for (int u = 1; u <= users; u++) {
      String name = "User" + u + "@" + domain;
      localMsp(
          usersDir.resolve(name),
          name,
          NodeType.CLIENT,
          List.of(),
          cas,
          spec,
          null,
          notBefore,
          notAfter);
    }

    Path msp = orgDir.resolve("msp");
    writeTrust(msp, cas, spec);
    if (!spec.nodeOUs()) {
      Cryptogen.write(
          msp.resolve(MspFolder.ADMINCERTS).resolve(adminName + "-cert.pem"), Pem.encode(admin));
    }
    Path nodesDir = orgDir.resolve(nodeType == NodeType.PEER ? "peers" : "orderers");
    for (String host : hosts) {
      String cn = host + "." + domain;
      Set<String> sans = new LinkedHashSet<>(List.of(cn, host, "localhost", "127.0.0.1"));
      sans.addAll(spec.extraSans());
      localMsp(
          nodesDir.resolve(cn),
          cn,
          nodeType,
          List.copyOf(sans),
          cas,
          spec,
          admin,
          notBefore,
          notAfter);
    }
  }

  /**
   * A node's {@code msp/} and {@code tls/}, as cryptogen's {@code GenerateLocalMSP}.
   *
   * @param admin the certificate for {@code admincerts}; null for the node's own
   * @return the node's signing certificate
   */
  private static X509Certificate localMsp(
      Path nodeDir,
      String name,
      NodeType type,
      List<String> sans,
      OrgCas cas,
      Spec spec,
      @Nullable X509Certificate admin,
      Instant notBefore,
      Instant notAfter)
      throws IOException {
    Path msp = nodeDir.resolve("msp");
    KeyPair keys = CertificateAuthority.newKeyPair();
    Cryptogen.write(
        msp.resolve(MspFolder.KEYSTORE).resolve(CertificateAuthority.KEY_FILE),
        Pem.encode(Pem.PRIVATE_KEY, keys.getPrivate().getEncoded()));
    X509Certificate cert =
        cas.signing()
            .issue(
                CertificateAuthority.subject(null, spec.nodeOUs() ? type.ou : null, name),
                keys.getPublic(),
                KeyUsage.digitalSignature,
                false,
                List.of(),
                notBefore,
                notAfter);
    Cryptogen.write(msp.resolve(MspFolder.SIGNCERTS).resolve(name + "-cert.pem"), Pem.encode(cert));
    writeTrust(msp, cas, spec);
    if (!spec.nodeOUs()) {
      X509Certificate adminCert = admin != null ? admin : cert;
      String adminName = admin != null ? "Admin@" + name.substring(name.indexOf('.') + 1) : name;
      Cryptogen.write(
          msp.resolve(MspFolder.ADMINCERTS).resolve(adminName + "-cert.pem"),
          Pem.encode(adminCert));
    }

    Path tls = nodeDir.resolve("tls");
    KeyPair tlsKeys = CertificateAuthority.newKeyPair();
    X509Certificate tlsCert =
        cas.tls()
            .issue(
                CertificateAuthority.subject(null, null, name),
                tlsKeys.getPublic(),
                KeyUsage.digitalSignature | KeyUsage.keyEncipherment,
                true,
                sans,
                notBefore,
                notAfter);
    String prefix = type == NodeType.CLIENT || type == NodeType.ADMIN ? "client" : "server";
    Cryptogen.write(tls.resolve("ca.crt"), Pem.encode(cas.tls().certificate()));
    Cryptogen.write(tls.resolve(prefix + ".crt"), Pem.encode(tlsCert));
    Cryptogen.write(
        tls.resolve(prefix + ".key"),
        Pem.encode(Pem.PRIVATE_KEY, tlsKeys.getPrivate().getEncoded()));
    return cert;
  }

  /** {@code cacerts}, {@code intermediatecerts}, {@code tlscacerts} and {@code config.yaml}. */
  private static void writeTrust(Path msp, OrgCas cas, Spec spec) throws IOException {
    String rootFile = cas.root().name() + "-cert.pem";
    Cryptogen.write(
        msp.resolve(MspFolder.CACERTS).resolve(rootFile), Pem.encode(cas.root().certificate()));
    String ouCertificate = MspFolder.CACERTS + "/" + rootFile;
    CertificateAuthority ica = cas.intermediate();
    if (ica != null) {
      String icaFile = ica.name() + "-cert.pem";
      Cryptogen.write(
          msp.resolve(MspFolder.INTERMEDIATECERTS).resolve(icaFile), Pem.encode(ica.certificate()));
      ouCertificate = MspFolder.INTERMEDIATECERTS + "/" + icaFile;
    }
    Cryptogen.write(
        msp.resolve(MspFolder.TLSCACERTS).resolve(cas.tls().name() + "-cert.pem"),
        Pem.encode(cas.tls().certificate()));
    if (spec.nodeOUs()) {
      StringBuilder yaml = new StringBuilder("NodeOUs:\n    Enable: true\n");
      for (NodeType t : List.of(NodeType.CLIENT, NodeType.PEER, NodeType.ADMIN, NodeType.ORDERER)) {
        String key = Character.toUpperCase(t.ou.charAt(0)) + t.ou.substring(1) + "OUIdentifier";
        yaml.append("    ")
            .append(key)
            .append(":\n")
            .append("        Certificate: ")
            .append(ouCertificate)
            .append('\n')
            .append("        OrganizationalUnitIdentifier: ")
            .append(t.ou)
            .append('\n');
      }
      Cryptogen.write(msp.resolve("config.yaml"), yaml.toString().getBytes(StandardCharsets.UTF_8));
    }
  }
}
