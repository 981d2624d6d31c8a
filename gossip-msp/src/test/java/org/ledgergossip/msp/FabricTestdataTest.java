package org.ledgergossip.msp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Map;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.spi.msp.Identity;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.msp.MspOptions;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/**
 * Interop with material Fabric's own tooling wrote ({@code msp/testdata} of hyperledger/fabric,
 * copied under {@code src/test/resources/fabric-testdata}): an intermediate-CA MSP folder and a CRL
 * that revokes a signing certificate. Runs on a clock inside their validity (2017..2027).
 */
class FabricTestdataTest {

  private static final Instant IN_2020 = Instant.parse("2020-01-01T00:00:00Z");

  private final VirtualScheduler time = new VirtualScheduler(IN_2020);
  private Msp msp;

  @AfterEach
  void close() {
    if (msp != null) {
      msp.close();
    }
  }

  @Test
  void fabricIntermediateCaFolderLoadsAndItsIdentitySignsAndValidates() throws Exception {
    msp = create("SampleOrg", data("intermediate"), Map.of());
    Identity local = msp.localIdentity();
    assertThat(msp.validate(local.serialized()).pkiId()).isEqualTo(local.pkiId());
    byte[] signature = msp.sign("hello".getBytes(StandardCharsets.UTF_8));
    assertThat(local.verify("hello".getBytes(StandardCharsets.UTF_8), signature)).isTrue();
    assertThat(msp.tlsCredentials()).isEmpty();
  }

  @Test
  void idBytesAreThePemFabricWroteAndThePkiIdIsSha256OfMspIdAndThem() throws Exception {
    msp = create("SampleOrg", data("intermediate"), Map.of());
    byte[] written = Files.readAllBytes(data("intermediate").resolve("signcerts/signcert.pem"));
    SerializedIdentity sid =
        SerializedIdentity.parseFrom(msp.localIdentity().serialized().toByteArray());
    assertThat(sid.getMspid()).isEqualTo("SampleOrg");
    assertThat(sid.getIdBytes().toByteArray()).isEqualTo(written);
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    sha256.update("SampleOrg".getBytes(StandardCharsets.UTF_8));
    PkiId expected = PkiId.of(sha256.digest(written));
    assertThat(msp.localIdentity().pkiId()).isEqualTo(expected);
    // Computed with `(printf SampleOrg; cat signcert.pem) | sha256sum`; Fabric publishes none.
    assertThat(expected.toHex())
        .isEqualTo("fa8684a4f1977ea0d80916a0b4060dd4f70559d660327f74bcffe8b7ce84cb2e");
  }

  @Test
  void fabricCrlRevokesItsSigningCertificateAndNotTheAdmin() throws Exception {
    Path revocation = data("revocation");
    msp =
        create(
            "SampleOrg",
            data("intermediate"),
            Map.of("SampleOrg", data("intermediate"), "RevOrg", revocation));
    Bytes revoked = pem("RevOrg", revocation.resolve("signcerts/signcert-revoked.pem"));
    assertThatThrownBy(() -> msp.validate(revoked))
        .isInstanceOf(InvalidIdentityException.class)
        .hasMessageContaining("is revoked (serial 6a239eaddedf61d2efdd639edc6ee669)")
        .hasMessageContaining("'RevOrg'");
    Bytes admin = pem("RevOrg", revocation.resolve("admincerts/admin.pem"));
    assertThat(msp.validate(admin).mspId()).isEqualTo("RevOrg");
  }

  @Test
  void aRevokedLocalIdentityIsRefusedAtCreationNamingTheFile() {
    assertThatThrownBy(() -> create("RevOrg", data("revocation"), Map.of()))
        .isInstanceOf(InvalidIdentityException.class)
        .hasMessageContaining("signcert-revoked.pem")
        .hasMessageContaining("revoked");
  }

  @Test
  void anExpiredLocalIdentityIsRefusedAtCreation() {
    time.advanceBy(java.time.Duration.ofDays(365 * 9));
    assertThatThrownBy(() -> create("SampleOrg", data("intermediate"), Map.of()))
        .isInstanceOf(InvalidIdentityException.class)
        .hasMessageContaining("expired at 2027-05-08T16:21:48Z");
  }

  @Test
  void signaturesVerifyWithPlainEcdsaAndAreLowS() throws Exception {
    msp = create("SampleOrg", data("intermediate"), Map.of());
    byte[] sig = msp.sign(new byte[] {1, 2, 3});
    java.math.BigInteger[] rs = Ecdsa.decode(sig);
    assertThat(rs).isNotNull();
    assertThat(rs[1]).isLessThanOrEqualTo(P256_HALF);
  }

  private static final java.math.BigInteger P256_HALF =
      new java.math.BigInteger(
              "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16)
          .shiftRight(1);

  private Msp create(String mspId, Path dir, Map<String, Path> trusted)
      throws InvalidIdentityException {
    return new X509MspProvider().create(new MspOptions(mspId, dir, trusted, time.clock()));
  }

  private static Bytes pem(String mspId, Path file) throws Exception {
    return X509Identity.serialize(mspId, MspFolder.certificatesOf(file).get(0).value());
  }

  private static Path data(String name) throws Exception {
    return Path.of(FabricTestdataTest.class.getResource("/fabric-testdata/" + name).toURI());
  }
}
