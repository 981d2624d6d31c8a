package org.ledgergossip.msp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.msp.MspOptions;
import org.ledgergossip.spi.transport.TlsCredentials;

/** The folder reader: both ways to point at a node, TLS material, and errors naming the file. */
class X509MspLoadingTest {

  @TempDir Path dir;
  private TestNetwork network;

  @AfterEach
  void close() {
    if (network != null) {
      network.close();
    }
  }

  private CryptoLayout layout() throws Exception {
    if (network == null) {
      network = TestNetwork.generate(dir);
    }
    return network.layout;
  }

  private Msp create(String mspId, Path local, Map<String, Path> trusted) throws Exception {
    return network.track(
        new X509MspProvider().create(new MspOptions(mspId, local, trusted, network.clock())));
  }

  private Msp peer0(Path local) throws Exception {
    return create("Org1MSP", local, layout().trustedOrgs());
  }

  @Test
  void thePeerFolderAndItsMspFolderGiveTheSameIdentityAndTls() throws Exception {
    Path peer = layout().peerDir(1, 0);
    Msp viaPeer = peer0(peer);
    Msp viaMsp = peer0(peer.resolve("msp"));
    assertThat(viaMsp.localIdentity().pkiId()).isEqualTo(viaPeer.localIdentity().pkiId());
    assertThat(viaMsp.tlsCredentials()).isPresent();
    assertThat(viaMsp.tlsCredentials().get().certificate())
        .isEqualTo(viaPeer.tlsCredentials().get().certificate());
  }

  @Test
  void tlsCredentialsAreTheServerFilesAndEveryTrustedTlsCa() throws Exception {
    Path tls = layout().peerDir(1, 0).resolve("tls");
    TlsCredentials creds = peer0(layout().peerDir(1, 0)).tlsCredentials().orElseThrow();
    assertThat(creds.certificate()).isEqualTo(cert(tls.resolve("server.crt")));
    assertThat(creds.privateKey().getEncoded())
        .isEqualTo(MspFolder.privateKeyOf(tls.resolve("server.key")).getEncoded());
    assertThat(creds.trustedCertificates())
        .containsExactlyInAnyOrder(
            cert(tls.resolve("ca.crt")),
            cert(layout().orgMspDir(2).resolve("tlscacerts/tlsca.org2.example.com-cert.pem")),
            cert(layout().ordererOrgDir().resolve("msp/tlscacerts/tlsca.example.com-cert.pem")));
  }

  @Test
  void withoutATlsFolderThereAreNoTlsCredentials() throws Exception {
    Path copy = dir.resolve("copy/msp");
    copyTree(layout().peerDir(1, 0).resolve("msp"), copy);
    assertThat(peer0(copy).tlsCredentials()).isEmpty();
  }

  @Test
  void anIntermediateCaLayoutLoadsAndValidatesAcrossOrgs() throws Exception {
    network = TestNetwork.generate(dir, b -> b.intermediateCa(true));
    Msp msp = network.msp(1, 0);
    assertThat(msp.validate(network.msp(1, 1).localIdentity().serialized()).mspId())
        .isEqualTo("Org1MSP");
    assertThat(msp.validate(network.msp(2, 0).localIdentity().serialized()).mspId())
        .isEqualTo("Org2MSP");
  }

  @Test
  void whenTheLocalOrgIsNotTrustedExplicitlyItsOwnFolderIsUsed() throws Exception {
    layout();
    Msp msp = create("Org1MSP", layout().peerDir(1, 0), Map.of());
    assertThat(msp.validate(network.msp(1, 1).localIdentity().serialized()).mspId())
        .isEqualTo("Org1MSP");
    Bytes org2 = network.msp(2, 0).localIdentity().serialized();
    assertThatThrownBy(() -> msp.validate(org2)).hasMessageStartingWith("unknown MSP 'Org2MSP'");
  }

  @Test
  void aTrustedOrgMayBeGivenAsItsOrgFolder() throws Exception {
    layout();
    Msp msp = create("Org1MSP", layout().peerDir(1, 0), Map.of("Org2MSP", layout().orgDir(2)));
    assertThat(msp.validate(network.msp(2, 0).localIdentity().serialized()).mspId())
        .isEqualTo("Org2MSP");
  }

  @Test
  void missingOrBrokenFilesAreNamed() throws Exception {
    Path peer = layout().peerDir(1, 0);
    Path msp = peer.resolve("msp");
    assertCreateFails(dir.resolve("nowhere"), "does not exist");

    Path junk = msp.resolve("cacerts/junk.pem");
    Files.writeString(junk, "junk");
    assertCreateFails(peer, "junk.pem");
    Files.delete(junk);

    Files.writeString(msp.resolve("cacerts/.hidden"), "ignored");
    assertThat(peer0(peer).localIdentity().mspId()).isEqualTo("Org1MSP");

    Path signcert = msp.resolve("signcerts/peer0.org1.example.com-cert.pem");
    byte[] saved = Files.readAllBytes(signcert);
    Files.delete(signcert);
    assertCreateFails(peer, "empty folder " + msp.resolve("signcerts"));
    Files.write(signcert, saved);

    Path key = peer.resolve("tls/server.key");
    byte[] tlsKey = Files.readAllBytes(key);
    Files.delete(key);
    assertCreateFails(peer, "missing TLS key " + key);
    Files.write(key, tlsKey);

    Map<String, Path> trusted = new HashMap<>(layout().trustedOrgs());
    trusted.put("Org3MSP", dir.resolve("org3/msp"));
    assertThatThrownBy(() -> create("Org1MSP", peer, trusted))
        .isInstanceOf(InvalidIdentityException.class)
        .hasMessageContaining(dir.resolve("org3/msp/cacerts").toString());
  }

  @Test
  void theKeystoreKeyMustMatchTheSigncertAndAnyMatchingKeyIsFound() throws Exception {
    Path peer = layout().peerDir(1, 0);
    Path keystore = peer.resolve("msp/keystore");
    byte[] own = Files.readAllBytes(keystore.resolve("priv_sk"));
    byte[] other = Files.readAllBytes(layout().peerDir(1, 1).resolve("msp/keystore/priv_sk"));
    Files.write(keystore.resolve("priv_sk"), other);
    assertCreateFails(peer, "no private key in " + keystore + " matches the certificate");

    Files.write(keystore.resolve("aaa_sk"), other);
    Files.write(keystore.resolve("priv_sk"), own);
    assertThat(peer0(peer).localIdentity().mspId()).isEqualTo("Org1MSP");
  }

  @Test
  void aSec1EcPrivateKeyIsReadToo() throws Exception {
    Path peer = layout().peerDir(1, 0);
    Path key = peer.resolve("msp/keystore/priv_sk");
    PrivateKey pkcs8 = MspFolder.privateKeyOf(key);
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(pkcs8.getEncoded());
    byte[] sec1 =
        new org.bouncycastle.asn1.sec.ECPrivateKey(
                256,
                org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey()).getKey(),
                info.getPrivateKeyAlgorithm().getParameters())
            .getEncoded();
    Files.write(key, Pem.encode(Pem.EC_PRIVATE_KEY, sec1));
    Msp msp = peer0(peer);
    byte[] sig = msp.sign(new byte[] {7});
    assertThat(msp.localIdentity().verify(new byte[] {7}, sig)).isTrue();
  }

  @Test
  void anExpiredLocalIdentityIsRefusedAtCreation() throws Exception {
    Path peer = layout().peerDir(1, 0);
    network.advance(Duration.ofDays(3651));
    assertCreateFails(peer, "peer0.org1.example.com-cert.pem is not valid");
  }

  @Test
  void aHighSLocalCertificateIsServedInLowSFormAsFabricDoes() throws Exception {
    Path signcert = layout().peerDir(1, 0).resolve("msp/signcerts/peer0.org1.example.com-cert.pem");
    X509Certificate lowS = cert(signcert);
    Files.write(signcert, Pem.encode(EcdsaTest.withHighS(lowS)));
    Msp msp = peer0(layout().peerDir(1, 0));
    assertThat(TestNetwork.certificateOf(msp.localIdentity().serialized())).isEqualTo(lowS);
    assertThat(msp.localIdentity().pkiId())
        .isEqualTo(X509Identity.pkiIdOf("Org1MSP", Pem.encode(lowS)));
  }

  private void assertCreateFails(Path local, String message) {
    assertThatThrownBy(() -> peer0(local))
        .isInstanceOf(InvalidIdentityException.class)
        .hasMessageContaining(message);
  }

  private static X509Certificate cert(Path file) throws Exception {
    return MspFolder.certificatesOf(file).get(0).value();
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
