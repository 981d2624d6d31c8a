package org.ledgergossip.msp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.spi.msp.Identity;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.InvalidIdentityException.Reason;
import org.ledgergossip.spi.msp.Msp;

/** Every rejection says why: the MSP id, the dates, the serial, the CA. */
class ValidationReasonsTest {

  private static final Instant G = TestNetwork.GENERATED;

  @TempDir Path dir;
  private TestNetwork network;

  @AfterEach
  void close() {
    if (network != null) {
      network.close();
    }
  }

  private Msp org1(java.util.function.UnaryOperator<Cryptogen.Spec.Builder> spec) throws Exception {
    network = TestNetwork.generate(dir, spec);
    return network.msp(1, 0);
  }

  private Msp org1() throws Exception {
    return org1(b -> b);
  }

  @Test
  void unknownMspIsNamed() throws Exception {
    Msp msp = org1();
    Bytes bytes = reMsp("Org9MSP", network.issue(1, "x").serialized());
    assertRejected(msp, bytes)
        .hasMessageStartingWith("unknown MSP 'Org9MSP'")
        .hasMessageContaining("Org1MSP")
        .satisfies(e -> assertKind(e, Reason.UNKNOWN_MSP));
  }

  @Test
  void expiredSaysWhen() throws Exception {
    Msp msp = org1();
    Bytes old = network.issue(1, "old", G, G.plus(Duration.ofHours(1))).serialized();
    assertThat(msp.validate(old).mspId()).isEqualTo("Org1MSP");
    network.advance(Duration.ofDays(1));
    assertRejected(msp, old)
        .hasMessageContaining("CN=old")
        .hasMessageContaining("expired at 2026-01-01T01:00:00Z")
        .satisfies(e -> assertKind(e, Reason.EXPIRED));
  }

  @Test
  void notYetValidSaysFromWhen() throws Exception {
    Msp msp = org1();
    Bytes future =
        network
            .issue(1, "future", G.plus(Duration.ofDays(10)), G.plus(Duration.ofDays(20)))
            .serialized();
    assertRejected(msp, future)
        .hasMessageContaining("not valid before 2026-01-11T00:00:00Z")
        .satisfies(e -> assertKind(e, Reason.NOT_YET_VALID));
  }

  @Test
  void foreignCaAndWrongMspIdSayWhichMspsCasDidNotSign() throws Exception {
    Msp msp = org1();
    Bytes foreign =
        Cryptogen.foreignIdentity("Org1MSP", "intruder", G, G.plus(Duration.ofDays(1)))
            .serialized();
    assertRejected(msp, foreign)
        .hasMessageContaining("is not signed by a CA of 'Org1MSP'")
        .hasMessageContaining("issuer CN=ca.foreign.example.com")
        .satisfies(e -> assertKind(e, Reason.UNTRUSTED));
    Bytes org2AsOrg1 = reMsp("Org1MSP", network.msp(2, 0).localIdentity().serialized());
    assertRejected(msp, org2AsOrg1).hasMessageContaining("is not signed by a CA of 'Org1MSP'");
  }

  @Test
  void malformedInputSaysWhatIsMalformed() throws Exception {
    Msp msp = org1();
    byte[] pem = network.issue(1, "x").certificatePem().toByteArray();
    assertRejected(msp, Bytes.copyOf(new byte[] {(byte) 0xff, (byte) 0xff}))
        .hasMessageStartingWith("malformed SerializedIdentity")
        .satisfies(e -> assertKind(e, Reason.MALFORMED));
    assertRejected(msp, serialize("Org1MSP", "junk".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("malformed certificate in identity of 'Org1MSP'");
    byte[] trailing =
        (new String(pem, StandardCharsets.US_ASCII) + "x").getBytes(StandardCharsets.US_ASCII);
    assertRejected(msp, serialize("Org1MSP", trailing)).hasMessageContaining("trailing bytes");
    assertRejected(msp, serialize("", pem)).hasMessageContaining("empty mspid");
  }

  @Test
  void aCaCertificateIsNotAnIdentity() throws Exception {
    Msp msp = org1();
    X509Certificate ca =
        MspFolder.certificatesOf(
                network.layout.orgDir(1).resolve("ca/ca.org1.example.com-cert.pem"))
            .get(0)
            .value();
    assertRejected(msp, X509Identity.serialize("Org1MSP", ca))
        .hasMessageContaining("is a CA certificate")
        .satisfies(e -> assertKind(e, Reason.UNTRUSTED));
  }

  @Test
  void revocationIsSeenAfterReloadWithTheSerial() throws Exception {
    Msp msp = org1();
    Msp peer1 = network.msp(1, 1);
    Bytes victim = peer1.localIdentity().serialized();
    msp.validate(victim);
    network.revoke(1, victim);
    assertThat(msp.validate(victim).mspId()).as("not before reload").isEqualTo("Org1MSP");
    msp.reload();
    String serial = TestNetwork.certificateOf(victim).getSerialNumber().toString(16);
    assertRejected(msp, victim)
        .hasMessageContaining("is revoked (serial " + serial + ")")
        .hasMessageContaining("by a CRL of 'CN=ca.org1.example.com")
        .satisfies(e -> assertKind(e, Reason.REVOKED));
    assertThat(msp.validate(network.msp(2, 0).localIdentity().serialized()).mspId())
        .isEqualTo("Org2MSP");
  }

  @Test
  void repeatedValidationIsCachedButExpiryStillApplies() throws Exception {
    Msp msp = org1();
    Bytes shortLived = network.issue(1, "brief", G, G.plus(Duration.ofDays(2))).serialized();
    Identity first = msp.validate(shortLived);
    assertThat(msp.validate(shortLived)).isSameAs(first);
    network.advance(Duration.ofDays(3));
    assertRejected(msp, shortLived).hasMessageContaining("expired at");
  }

  @Test
  void aBadCrlFailsTheReloadNamingTheFileAndTheOldMaterialStays() throws Exception {
    Msp msp = org1();
    Bytes peer = network.msp(2, 0).localIdentity().serialized();
    Path bad = network.layout.orgMspDir(2).resolve("crls/bad.pem");
    Files.createDirectories(bad.getParent());
    Files.writeString(bad, "not a crl");
    assertThatThrownBy(msp::reload)
        .isInstanceOf(InvalidIdentityException.class)
        .hasMessageContaining("bad.pem");
    assertThat(msp.validate(peer).mspId()).isEqualTo("Org2MSP");

    CertificateAuthority stranger =
        CertificateAuthority.root("x", "ca.x", G, G.plus(Duration.ofDays(9)));
    Files.write(
        bad,
        Pem.encode(
            Pem.X509_CRL, stranger.crl(Map.of(), G, G.plus(Duration.ofDays(1)), 1).getEncoded()));
    assertThatThrownBy(msp::reload)
        .isInstanceOf(InvalidIdentityException.class)
        .hasMessageContaining("bad.pem")
        .hasMessageContaining("is not signed by any CA of 'Org2MSP'");
  }

  @Test
  void withAnIntermediateCaItsCrlRevokesAndIdentitiesMustComeFromTheLeafCa() throws Exception {
    Msp msp = org1(b -> b.intermediateCa(true));
    Bytes peer1 = network.msp(1, 1).localIdentity().serialized();
    assertThat(msp.validate(peer1).mspId()).isEqualTo("Org1MSP");

    CertificateAuthority root = CertificateAuthority.read(network.layout.orgDir(1).resolve("ca"));
    KeyPair keys = CertificateAuthority.newKeyPair();
    X509Certificate byRoot =
        root.issue(
            CertificateAuthority.subject(null, null, "byroot"),
            keys.getPublic(),
            KeyUsage.digitalSignature,
            false,
            List.of(),
            G,
            G.plus(Duration.ofDays(1)));
    assertRejected(msp, X509Identity.serialize("Org1MSP", byRoot))
        .hasMessageContaining("identities must come from a leaf CA");

    network.revoke(1, peer1);
    msp.reload();
    assertRejected(msp, peer1).hasMessageContaining("by a CRL of 'CN=ica.org1.example.com");
  }

  @Test
  void aRevokedIntermediateCaRevokesEverythingItIssued() throws Exception {
    Msp msp = org1(b -> b.intermediateCa(true));
    Bytes peer1 = network.msp(1, 1).localIdentity().serialized();
    X509Certificate ica =
        MspFolder.certificatesOf(
                network.layout.orgDir(1).resolve("ica/ica.org1.example.com-cert.pem"))
            .get(0)
            .value();
    Cryptogen.revoke(network.layout.orgDir(1), ica, network.time.now());
    msp.reload();
    assertRejected(msp, peer1).hasMessageContaining("chains to CA 'CN=ica.org1.example.com");
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(
      Msp msp, Bytes identity) {
    return assertThatThrownBy(() -> msp.validate(identity))
        .isInstanceOf(InvalidIdentityException.class);
  }

  private static void assertKind(Throwable e, Reason kind) {
    assertThat(((InvalidIdentityException) e).reason()).isEqualTo(kind);
  }

  private static Bytes serialize(String mspId, byte[] idBytes) {
    return Bytes.copyOf(
        SerializedIdentity.newBuilder()
            .setMspid(mspId)
            .setIdBytes(ByteString.copyFrom(idBytes))
            .build()
            .toByteArray());
  }

  /** The same certificate under another MSP id. */
  private static Bytes reMsp(String mspId, Bytes serialized) throws Exception {
    return X509Identity.serialize(mspId, TestNetwork.certificateOf(serialized));
  }
}
