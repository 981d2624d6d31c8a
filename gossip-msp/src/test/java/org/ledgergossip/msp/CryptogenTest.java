package org.ledgergossip.msp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cryptogen writes Fabric's crypto-config layout with certificates shaped like Fabric's. */
class CryptogenTest {

  @TempDir Path dir;
  private TestNetwork network;

  @AfterEach
  void close() {
    if (network != null) {
      network.close();
    }
  }

  @Test
  void writesFabricsFileNames() throws Exception {
    network = TestNetwork.generate(dir);
    String org1 = "peerOrganizations/org1.example.com/";
    String peer0 = org1 + "peers/peer0.org1.example.com/";
    String orderer = "ordererOrganizations/example.com/";
    for (String file :
        List.of(
            org1 + "ca/ca.org1.example.com-cert.pem",
            org1 + "ca/priv_sk",
            org1 + "tlsca/tlsca.org1.example.com-cert.pem",
            org1 + "tlsca/priv_sk",
            org1 + "msp/cacerts/ca.org1.example.com-cert.pem",
            org1 + "msp/tlscacerts/tlsca.org1.example.com-cert.pem",
            org1 + "msp/admincerts/Admin@org1.example.com-cert.pem",
            peer0 + "msp/cacerts/ca.org1.example.com-cert.pem",
            peer0 + "msp/keystore/priv_sk",
            peer0 + "msp/signcerts/peer0.org1.example.com-cert.pem",
            peer0 + "msp/tlscacerts/tlsca.org1.example.com-cert.pem",
            peer0 + "msp/admincerts/Admin@org1.example.com-cert.pem",
            peer0 + "tls/ca.crt",
            peer0 + "tls/server.crt",
            peer0 + "tls/server.key",
            org1 + "peers/peer1.org1.example.com/msp/signcerts/peer1.org1.example.com-cert.pem",
            org1 + "users/Admin@org1.example.com/msp/signcerts/Admin@org1.example.com-cert.pem",
            org1 + "users/Admin@org1.example.com/tls/client.key",
            org1 + "users/User1@org1.example.com/tls/client.crt",
            "peerOrganizations/org2.example.com/msp/cacerts/ca.org2.example.com-cert.pem",
            orderer + "ca/ca.example.com-cert.pem",
            orderer + "msp/cacerts/ca.example.com-cert.pem",
            orderer + "orderers/orderer.example.com/msp/signcerts/orderer.example.com-cert.pem",
            orderer + "orderers/orderer.example.com/tls/server.crt",
            orderer + "users/Admin@example.com/msp/keystore/priv_sk")) {
      assertThat(dir.resolve(file)).as(file).isRegularFile();
    }
    assertThat(dir.resolve(org1 + "msp/config.yaml")).doesNotExist();
    assertThat(Files.readString(dir.resolve(peer0 + "msp/keystore/priv_sk")))
        .startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(network.layout.trustedOrgs())
        .containsOnlyKeys("Org1MSP", "Org2MSP", CryptoLayout.ORDERER_MSP_ID);
  }

  @Test
  void caCertificatesAreCasAndIdentitiesAreNot() throws Exception {
    network = TestNetwork.generate(dir);
    X509Certificate ca = cert(network.layout.orgDir(1).resolve("ca/ca.org1.example.com-cert.pem"));
    X509Certificate peer = signcert(1, 0);
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(ca.getKeyUsage()[6]).as("cRLSign").isTrue();
    assertThat(ca.getSubjectX500Principal().getName())
        .isEqualTo("CN=ca.org1.example.com,O=org1.example.com,L=San Francisco,ST=California,C=US");
    assertThat(peer.getBasicConstraints()).isEqualTo(-1);
    assertThat(peer.getKeyUsage()[0]).as("digitalSignature").isTrue();
    assertThat(peer.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
    assertThat(aki(peer)).isEqualTo(ski(ca)).isEqualTo(CertificateAuthority.ski(ca.getPublicKey()));
    assertThat(((ECPublicKey) peer.getPublicKey()).getParams().getCurve().getField().getFieldSize())
        .isEqualTo(256);
    peer.verify(ca.getPublicKey());
  }

  @Test
  void tlsCertificatesCarryTheHostNamesLocalhostAndExtraSans() throws Exception {
    network = TestNetwork.generate(dir, b -> b.extraSans(List.of("peer.example.net", "10.0.0.7")));
    X509Certificate tls = cert(network.layout.peerDir(1, 0).resolve("tls/server.crt"));
    List<String> sans =
        tls.getSubjectAlternativeNames().stream().map(l -> String.valueOf(l.get(1))).toList();
    assertThat(sans)
        .containsExactly(
            "peer0.org1.example.com",
            "peer0",
            "localhost",
            "127.0.0.1",
            "peer.example.net",
            "10.0.0.7");
    assertThat(tls.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    X509Certificate tlsCa = cert(network.layout.peerDir(1, 0).resolve("tls/ca.crt"));
    tls.verify(tlsCa.getPublicKey());
    assertThat(tlsCa.getSubjectX500Principal().getName()).startsWith("CN=tlsca.org1.example.com");
  }

  @Test
  void everyCertificateSignatureIsLowSAndDatesFollowTheClock() throws Exception {
    network = TestNetwork.generate(dir, b -> b.validity(Duration.ofDays(100)));
    List<Path> pems;
    try (Stream<Path> files = Files.walk(dir)) {
      pems =
          files
              .filter(p -> p.toString().endsWith("-cert.pem") || p.toString().endsWith(".crt"))
              .toList();
    }
    assertThat(pems).hasSizeGreaterThan(30);
    BigInteger half =
        ((ECPublicKey) signcert(1, 0).getPublicKey()).getParams().getOrder().shiftRight(1);
    for (Path p : pems) {
      X509Certificate c = cert(p);
      assertThat(Ecdsa.decode(c.getSignature())[1]).as(p.toString()).isLessThanOrEqualTo(half);
      assertThat(c.getNotBefore().toInstant())
          .isEqualTo(TestNetwork.GENERATED.minus(Duration.ofMinutes(5)));
      assertThat(c.getNotAfter().toInstant())
          .isEqualTo(TestNetwork.GENERATED.minus(Duration.ofMinutes(5)).plus(Duration.ofDays(100)));
    }
  }

  @Test
  void nodeOusWriteConfigYamlAndOusInsteadOfAdmincerts() throws Exception {
    network = TestNetwork.generate(dir, b -> b.nodeOUs(true));
    Path msp = network.layout.peerDir(1, 0).resolve("msp");
    String yaml = Files.readString(msp.resolve("config.yaml"));
    assertThat(yaml)
        .contains("NodeOUs:", "Enable: true", "PeerOUIdentifier:", "OrdererOUIdentifier:")
        .contains("Certificate: cacerts/ca.org1.example.com-cert.pem")
        .contains("OrganizationalUnitIdentifier: peer");
    assertThat(msp.resolve("admincerts")).doesNotExist();
    assertThat(signcert(1, 0).getSubjectX500Principal().getName())
        .isEqualTo("CN=peer0.org1.example.com,OU=peer,L=San Francisco,ST=California,C=US");
    assertThat(network.msp(1, 0).localIdentity().mspId()).isEqualTo("Org1MSP");
  }

  @Test
  void intermediateCaIssuesTheIdentities() throws Exception {
    network = TestNetwork.generate(dir, b -> b.intermediateCa(true));
    Path org = network.layout.orgDir(1);
    X509Certificate ica = cert(org.resolve("ica/ica.org1.example.com-cert.pem"));
    assertThat(org.resolve("msp/intermediatecerts/ica.org1.example.com-cert.pem")).isRegularFile();
    assertThat(network.layout.peerDir(1, 0).resolve("msp/intermediatecerts")).isDirectory();
    signcert(1, 0).verify(ica.getPublicKey());
    assertThat(ica.getBasicConstraints()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void revokeWritesOneGrowingCrlIntoEveryCrlsFolderOfTheOrg() throws Exception {
    network = TestNetwork.generate(dir);
    X509Certificate peer0 = signcert(1, 0);
    X509Certificate peer1 = signcert(1, 1);
    Cryptogen.revoke(network.layout.orgDir(1), peer0, network.time.now());
    List<Path> files = Cryptogen.revoke(network.layout.orgDir(1), peer1, network.time.now());
    assertThat(files)
        .contains(
            network.layout.orgMspDir(1).resolve("crls/ca.org1.example.com-crl.pem"),
            network.layout.peerDir(1, 1).resolve("msp/crls/ca.org1.example.com-crl.pem"))
        .hasSize(1 + 2 + 2);
    X509CRL crl = MspFolder.crls(network.layout.orgMspDir(1).resolve("crls")).get(0).value();
    assertThat(crl.getRevokedCertificate(peer0.getSerialNumber())).isNotNull();
    assertThat(crl.getRevokedCertificate(peer1.getSerialNumber())).isNotNull();
    X509Certificate ca = cert(network.layout.orgDir(1).resolve("ca/ca.org1.example.com-cert.pem"));
    crl.verify(ca.getPublicKey());
    assertThat(
            AuthorityKeyIdentifier.getInstance(
                    ASN1OctetString.getInstance(
                            crl.getExtensionValue(Extension.authorityKeyIdentifier.getId()))
                        .getOctets())
                .getKeyIdentifierOctets())
        .isEqualTo(ski(ca));
    assertThat(Files.readString(files.get(0), StandardCharsets.US_ASCII))
        .startsWith("-----BEGIN X509 CRL-----\n");
  }

  @Test
  void revokingACertificateOfAnotherOrgIsRefused() throws Exception {
    network = TestNetwork.generate(dir);
    X509Certificate org2 = signcert(2, 0);
    assertThatThrownBy(() -> Cryptogen.revoke(network.layout.orgDir(1), org2, network.time.now()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was not issued by a CA of");
  }

  @Test
  void specRejectsNonsense() {
    assertThatThrownBy(() -> Cryptogen.Spec.builder().orgs(0).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cryptogen.Spec.builder().validity(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cryptogen.Spec.builder().domain("").build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  private X509Certificate signcert(int org, int peer) throws Exception {
    String name = network.layout.peerName(org, peer);
    return cert(network.layout.peerDir(org, peer).resolve("msp/signcerts/" + name + "-cert.pem"));
  }

  private static X509Certificate cert(Path file) throws Exception {
    return MspFolder.certificatesOf(file).get(0).value();
  }

  private static byte[] ski(X509Certificate c) {
    return SubjectKeyIdentifier.getInstance(
            ASN1OctetString.getInstance(c.getExtensionValue(Extension.subjectKeyIdentifier.getId()))
                .getOctets())
        .getKeyIdentifier();
  }

  private static byte[] aki(X509Certificate c) {
    return AuthorityKeyIdentifier.getInstance(
            ASN1OctetString.getInstance(
                    c.getExtensionValue(Extension.authorityKeyIdentifier.getId()))
                .getOctets())
        .getKeyIdentifierOctets();
  }
}
