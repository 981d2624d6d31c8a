package org.ledgergossip.msp;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.spi.msp.InvalidIdentityException;

/**
 * Generates key material in the layout of Fabric's {@code cryptogen generate} ({@code
 * cmd/cryptogen}, {@code internal/cryptogen}), for tests, demos and the future CLI.
 *
 * <p>{@link #generate} writes, for each peer organisation {@code n} (MSP id {@code OrgnMSP}) under
 * {@code peerOrganizations/orgn.<domain>/}: {@code ca/} and {@code tlsca/} (CA certificate {@code
 * <name>-cert.pem} and key {@code priv_sk}), the verifying {@code msp/} ({@code admincerts}, {@code
 * cacerts}, {@code tlscacerts}, {@code config.yaml} with NodeOUs), {@code
 * peers/peerN.orgn.<domain>/{msp,tls}} and {@code users/{Admin,UserN}@orgn.<domain>/{msp,tls}}; and
 * {@code ordererOrganizations/<domain>/} likewise with {@code orderers/orderer.<domain>} (MSP id
 * {@code OrdererMSP}). A node's {@code msp/} holds {@code admincerts} (without NodeOUs), {@code
 * cacerts}, {@code keystore/priv_sk} (PKCS#8 PEM), {@code signcerts/<cn>-cert.pem}, {@code
 * tlscacerts}; its {@code tls/} holds {@code ca.crt} and {@code server.crt}/{@code server.key}
 * ({@code client.*} for users). Keys are ECDSA P-256; CA certificates carry basic constraints
 * CA=true; TLS certificates of peers and orderers carry the SANs {@code <cn>}, {@code <host>},
 * {@code localhost}, {@code 127.0.0.1} and {@link Spec#extraSans()}. Beyond Fabric's cryptogen,
 * {@link Spec#intermediateCa()} adds an intermediate signing CA ({@code ica/}, {@code
 * msp/intermediatecerts}) that issues every identity.
 *
 * <p>For revocation and expiry tests: {@link #revoke} writes a CRL into an organisation's {@code
 * crls} folders; {@link #issueIdentity} issues an identity of an organisation with any validity
 * dates (an expired one, say); {@link #foreignIdentity} makes one from a CA nobody trusts.
 *
 * <p>Thread-safe (stateless); concurrent calls must use different folders. Arguments are never
 * null; file failures throw {@link IOException} naming the file.
 */
public final class Cryptogen {

  private static final List<String> NODE_FOLDERS = List.of("peers", "orderers", "users");

  private Cryptogen() {}

  /**
   * Writes the material of {@code spec} into {@code outputDir} (created if needed). Certificates
   * are valid from five minutes before {@code spec.clock()}'s instant, rounded down to the minute,
   * for {@code spec.validity()}, as cryptogen backdates them.
   *
   * @return where everything is
   * @throws IOException if a file cannot be written
   */
  public static CryptoLayout generate(Path outputDir, Spec spec) throws IOException {
    requireNonNull(outputDir, "outputDir");
    requireNonNull(spec, "spec");
    Instant notBefore =
        spec.clock().instant().truncatedTo(ChronoUnit.MINUTES).minus(5, ChronoUnit.MINUTES);
    Instant notAfter = notBefore.plus(spec.validity());
    CryptoLayout layout = new CryptoLayout(outputDir, spec);
    for (int org = 1; org <= spec.orgs(); org++) {
      List<String> hosts = new ArrayList<>();
      for (int p = 0; p < spec.peersPerOrg(); p++) {
        hosts.add("peer" + p);
      }
      CryptogenWriter.generateOrg(
          layout.orgDir(org),
          layout.orgDomain(org),
          CryptogenWriter.NodeType.PEER,
          hosts,
          spec,
          notBefore,
          notAfter);
    }
    if (spec.orderer()) {
      CryptogenWriter.generateOrg(
          layout.ordererOrgDir(),
          spec.domain(),
          CryptogenWriter.NodeType.ORDERER,
          List.of("orderer"),
          spec,
          notBefore,
          notAfter);
    }
    return layout;
  }

  /**
   * Revokes {@code certificate}: adds it to the CRL of the CA of {@code orgDir} that issued it
   * (creating the CRL if needed), and writes that CRL as {@code <ca name>-crl.pem} into {@code
   * orgDir/msp/crls} and the {@code msp/crls} folder of every peer, orderer and user of the
   * organisation. MSPs see it after {@code Msp.reload()}.
   *
   * @param orgDir an organisation folder written by {@link #generate}
   * @param at the revocation time and the CRL's {@code thisUpdate}
   * @return the CRL files written
   * @throws IllegalArgumentException if no CA of {@code orgDir} issued {@code certificate}
   * @throws IOException if the CA cannot be read or a CRL cannot be written
   */
  public static List<Path> revoke(Path orgDir, X509Certificate certificate, Instant at)
      throws IOException {
    requireNonNull(certificate, "certificate");
    requireNonNull(at, "at");
    CertificateAuthority issuer = null;
    for (CertificateAuthority ca : readCas(orgDir)) {
      if (issuedBy(certificate, ca.certificate())) {
        issuer = ca;
      }
    }
    if (issuer == null) {
      throw new IllegalArgumentException(
          certificate.getSubjectX500Principal() + " was not issued by a CA of " + orgDir);
    }
    String fileName = issuer.name() + "-crl.pem";
    Path master = orgDir.resolve("msp").resolve(MspFolder.CRLS).resolve(fileName);
    TreeMap<BigInteger, Instant> revoked = new TreeMap<>();
    if (Files.exists(master)) {
      try {
        for (MspFolder.Sourced<X509CRL> old : MspFolder.crls(master.getParent())) {
          if (old.file().equals(master) && old.value().getRevokedCertificates() != null) {
            for (X509CRLEntry e : old.value().getRevokedCertificates()) {
              revoked.put(e.getSerialNumber(), e.getRevocationDate().toInstant());
            }
          }
        }
      } catch (InvalidIdentityException e) {
        throw new IOException(e.getMessage(), e);
      }
    }
    revoked.put(certificate.getSerialNumber(), at);
    X509CRL crl =
        issuer.crl(revoked, at, issuer.certificate().getNotAfter().toInstant(), revoked.size());
    byte[] pem;
    try {
      pem = Pem.encode(Pem.X509_CRL, crl.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encode CRL", e);
    }
    List<Path> written = new ArrayList<>();
    for (Path mspDir : mspDirsOf(orgDir)) {
      Path file = mspDir.resolve(MspFolder.CRLS).resolve(fileName);
      Files.createDirectories(file.getParent());
      Files.write(file, pem);
      written.add(file);
    }
    return written;
  }

  /**
   * Issues a signing identity of the organisation in {@code orgDir} (by its intermediate CA if it
   * has one, else its root CA) with the given validity dates, which may lie in the past. Nothing is
   * written.
   *
   * @throws IOException if the CA cannot be read
   */
  public static IssuedIdentity issueIdentity(
      Path orgDir, String mspId, String commonName, Instant notBefore, Instant notAfter)
      throws IOException {
    List<CertificateAuthority> cas = readCas(orgDir);
    return issue(cas.get(cas.size() - 1), mspId, commonName, notBefore, notAfter);
  }

  /**
   * Issues an identity claiming {@code mspId} from a new CA that no organisation trusts. Nothing is
   * written.
   */
  public static IssuedIdentity foreignIdentity(
      String mspId, String commonName, Instant notBefore, Instant notAfter) {
    CertificateAuthority ca =
        CertificateAuthority.root(
            "foreign.example.com", "ca.foreign.example.com", notBefore, notAfter);
    return issue(ca, mspId, commonName, notBefore, notAfter);
  }

  private static IssuedIdentity issue(
      CertificateAuthority ca, String mspId, String cn, Instant notBefore, Instant notAfter) {
    requireNonNull(mspId, "mspId");
    KeyPair keys = CertificateAuthority.newKeyPair();
    X509Certificate cert =
        ca.issue(
            CertificateAuthority.subject(null, null, requireNonNull(cn, "commonName")),
            keys.getPublic(),
            KeyUsage.digitalSignature,
            false,
            List.of(),
            requireNonNull(notBefore, "notBefore"),
            requireNonNull(notAfter, "notAfter"));
    return new IssuedIdentity(mspId, cert, keys.getPrivate());
  }

  /** The root CA of {@code orgDir}, then its intermediate CA if it has one. */
  private static List<CertificateAuthority> readCas(Path orgDir) throws IOException {
    requireNonNull(orgDir, "orgDir");
    List<CertificateAuthority> out = new ArrayList<>();
    out.add(CertificateAuthority.read(orgDir.resolve("ca")));
    if (Files.isDirectory(orgDir.resolve("ica"))) {
      out.add(CertificateAuthority.read(orgDir.resolve("ica")));
    }
    return out;
  }

  /** {@code orgDir/msp} and the {@code msp} folder of every node of the organisation. */
  private static List<Path> mspDirsOf(Path orgDir) throws IOException {
    List<Path> out = new ArrayList<>();
    out.add(orgDir.resolve("msp"));
    for (String folder : NODE_FOLDERS) {
      Path nodes = orgDir.resolve(folder);
      if (!Files.isDirectory(nodes)) {
        continue;
      }
      try (Stream<Path> list = Files.list(nodes)) {
        list.map(n -> n.resolve("msp")).filter(Files::isDirectory).sorted().forEach(out::add);
      }
    }
    return out;
  }

  private static boolean issuedBy(X509Certificate cert, X509Certificate ca) {
    if (!cert.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
      return false;
    }
    try {
      cert.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  static void write(Path file, byte[] content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, content);
  }

  /**
   * What {@link #generate} makes. Immutable; build with {@link #builder()}.
   *
   * @param orgs number of peer organisations, at least 1 (default 2)
   * @param peersPerOrg peers per organisation, at least 1 (default 2)
   * @param users users besides {@code Admin} per peer organisation, at least 0 (default 1)
   * @param orderer whether to make the orderer organisation (default true)
   * @param domain the parent domain (default {@code example.com})
   * @param extraSans more SANs for every peer's and orderer's TLS certificate (DNS names or IPs)
   * @param validity how long certificates are valid (default 3650 days, cryptogen's)
   * @param clock the source of "now" (default the system clock)
   * @param nodeOUs whether to write {@code config.yaml} with NodeOUs and OUs in certificates
   *     instead of {@code admincerts} (default false, as cryptogen's default template)
   * @param intermediateCa whether identities are issued by an intermediate CA (default false)
   */
  public record Spec(
      int orgs,
      int peersPerOrg,
      int users,
      boolean orderer,
      String domain,
      List<String> extraSans,
      Duration validity,
      Clock clock,
      boolean nodeOUs,
      boolean intermediateCa) {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a count is out of range, the domain is empty or the
     *     validity not positive
     */
    public Spec {
      if (orgs < 1 || peersPerOrg < 1 || users < 0) {
        throw new IllegalArgumentException(
            "need orgs >= 1, peersPerOrg >= 1, users >= 0; were "
                + orgs
                + ", "
                + peersPerOrg
                + ", "
                + users);
      }
      if (requireNonNull(domain, "domain").isEmpty()) {
        throw new IllegalArgumentException("domain must not be empty");
      }
      extraSans = List.copyOf(extraSans);
      if (requireNonNull(validity, "validity").isNegative() || validity.isZero()) {
        throw new IllegalArgumentException("validity must be positive, was " + validity);
      }
      requireNonNull(clock, "clock");
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
      return new Builder();
    }

    /** Builds a {@link Spec}; not thread-safe. */
    public static final class Builder {
      private int orgs = 2;
      private int peersPerOrg = 2;
      private int users = 1;
      private boolean orderer = true;
      private String domain = "example.com";
      private List<String> extraSans = List.of();
      private Duration validity = Duration.ofDays(3650);
      private Clock clock = Clock.system();
      private boolean nodeOUs;
      private boolean intermediateCa;

      private Builder() {}

      /** Sets {@link Spec#orgs()}. */
      public Builder orgs(int orgs) {
        this.orgs = orgs;
        return this;
      }

      /** Sets {@link Spec#peersPerOrg()}. */
      public Builder peersPerOrg(int peersPerOrg) {
        this.peersPerOrg = peersPerOrg;
        return this;
      }

      /** Sets {@link Spec#users()}. */
      public Builder users(int users) {
        this.users = users;
        return this;
      }

      /** Sets {@link Spec#orderer()}. */
      public Builder orderer(boolean orderer) {
        this.orderer = orderer;
        return this;
      }

      /** Sets {@link Spec#domain()}. */
      public Builder domain(String domain) {
        this.domain = domain;
        return this;
      }

      /** Sets {@link Spec#extraSans()}. */
      public Builder extraSans(List<String> extraSans) {
        this.extraSans = List.copyOf(extraSans);
        return this;
      }

      /** Sets {@link Spec#validity()}. */
      public Builder validity(Duration validity) {
        this.validity = validity;
        return this;
      }

      /** Sets {@link Spec#clock()}. */
      public Builder clock(Clock clock) {
        this.clock = clock;
        return this;
      }

      /** Sets {@link Spec#nodeOUs()}. */
      public Builder nodeOUs(boolean nodeOUs) {
        this.nodeOUs = nodeOUs;
        return this;
      }

      /** Sets {@link Spec#intermediateCa()}. */
      public Builder intermediateCa(boolean intermediateCa) {
        this.intermediateCa = intermediateCa;
        return this;
      }

      /**
       * The spec.
       *
       * @throws IllegalArgumentException as the {@link Spec} constructor
       */
      public Spec build() {
        return new Spec(
            orgs,
            peersPerOrg,
            users,
            orderer,
            domain,
            extraSans,
            validity,
            clock,
            nodeOUs,
            intermediateCa);
      }
    }
  }
}
