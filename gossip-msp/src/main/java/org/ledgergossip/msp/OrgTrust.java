package org.ledgergossip.msp;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.msp.MspFolder.Sourced;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.InvalidIdentityException.Reason;

/**
 * The trust material of one organisation (its MSP folder) and the validation of a certificate
 * against it, following Fabric's {@code msp/mspimplvalidate.go}:
 *
 * <ol>
 *   <li>the certificate is not a CA;
 *   <li>it is within its validity dates at the given instant (Fabric's MSP leaves this to the
 *       callers; here it is part of validation);
 *   <li>there is exactly one chain from it through {@code intermediatecerts} to a certificate of
 *       {@code cacerts}, and that chain passes RFC 5280 path validation (the JDK's PKIX {@link
 *       CertPathValidator} at the given instant: signatures, validity of every CA, basic
 *       constraints, key usage, name constraints);
 *   <li>its issuer is a leaf of the certification tree (issues no intermediate CA of the
 *       organisation), as Fabric requires;
 *   <li>no certificate of the chain is revoked by a CRL of {@code crls} issued by its issuer (a CRL
 *       applies to the CA whose subject key identifier equals the CRL's authority key identifier,
 *       or, when either is absent, whose subject equals the CRL's issuer, and whose key signed it).
 *       Fabric checks only the identity's own certificate at validation and refuses to load an MSP
 *       with a revoked intermediate; here every link is checked at validation.
 * </ol>
 *
 * <p>Why the JDK's validator: it is the platform's RFC 5280 implementation, needs no provider
 * registration, takes the validation date as a parameter (so validation follows the injected clock)
 * and reports the failing certificate and a machine-readable reason, which become the rejection
 * message. Chains are built here (by issuer name and signature) because Fabric accepts only a
 * unique chain and because it makes "not signed by a CA of X" a message of its own.
 *
 * <p>Immutable and thread-safe.
 */
final class OrgTrust {

  private static final int MAX_CHAIN = 10;

  private final String mspId;
  private final Path mspDir;
  private final List<X509Certificate> roots;
  private final List<X509Certificate> intermediates;
  private final Set<X509Certificate> internalNodes;
  private final Map<X509Certificate, List<X509CRL>> crlsByCa;
  private final List<X509Certificate> tlsCertificates;

  private OrgTrust(
      String mspId,
      Path mspDir,
      List<X509Certificate> roots,
      List<X509Certificate> intermediates,
      Set<X509Certificate> internalNodes,
      Map<X509Certificate, List<X509CRL>> crlsByCa,
      List<X509Certificate> tlsCertificates) {
    this.mspId = mspId;
    this.mspDir = mspDir;
    this.roots = roots;
    this.intermediates = intermediates;
    this.internalNodes = internalNodes;
    this.crlsByCa = crlsByCa;
    this.tlsCertificates = tlsCertificates;
  }

  /**
   * Reads {@code cacerts} (required), {@code intermediatecerts}, {@code crls}, {@code tlscacerts}
   * and {@code tlsintermediatecerts} of an MSP folder and checks them: every CA certificate is a
   * CA, every intermediate chains to a root, every CRL is signed by a CA of the folder.
   *
   * @throws InvalidIdentityException naming the file that is missing or wrong
   */
  static OrgTrust load(String mspId, Path dir) throws InvalidIdentityException {
    Path mspDir = MspFolder.mspDir(dir);
    List<Sourced<X509Certificate>> roots =
        MspFolder.certificates(mspDir.resolve(MspFolder.CACERTS), true);
    List<Sourced<X509Certificate>> inters =
        MspFolder.certificates(mspDir.resolve(MspFolder.INTERMEDIATECERTS), false);
    for (Sourced<X509Certificate> ca : concat(roots, inters)) {
      if (ca.value().getBasicConstraints() < 0) {
        throw new InvalidIdentityException(
            Reason.MATERIAL,
            ca.file() + ": " + subject(ca.value()) + " of '" + mspId + "' is not a CA certificate");
      }
    }
    List<X509Certificate> rootCerts = values(roots);
    List<X509Certificate> interCerts = new ArrayList<>(values(inters));
    interCerts.removeAll(rootCerts);
    OrgTrust partial =
        new OrgTrust(mspId, mspDir, rootCerts, interCerts, Set.of(), Map.of(), List.of());

    Set<X509Certificate> internal = new HashSet<>();
    for (Sourced<X509Certificate> inter : inters) {
      if (rootCerts.contains(inter.value())) {
        continue;
      }
      List<List<X509Certificate>> chains = partial.chains(inter.value());
      if (chains.isEmpty()) {
        throw new InvalidIdentityException(
            Reason.MATERIAL,
            inter.file()
                + ": intermediate CA "
                + subject(inter.value())
                + " is not signed by a CA in "
                + mspDir.resolve(MspFolder.CACERTS));
      }
      internal.addAll(chains.get(0).subList(1, chains.get(0).size()));
    }

    Map<X509Certificate, List<X509CRL>> crlsByCa = new HashMap<>();
    for (Sourced<X509CRL> crl : MspFolder.crls(mspDir.resolve(MspFolder.CRLS))) {
      X509Certificate signer = partial.crlSigner(crl.value());
      if (signer == null) {
        throw new InvalidIdentityException(
            Reason.MATERIAL,
            crl.file()
                + ": CRL issued by "
                + crl.value().getIssuerX500Principal().getName()
                + " is not signed by any CA of '"
                + mspId
                + "'");
      }
      crlsByCa.computeIfAbsent(signer, k -> new ArrayList<>()).add(crl.value());
    }

    List<X509Certificate> tls =
        new ArrayList<>(
            values(MspFolder.certificates(mspDir.resolve(MspFolder.TLSCACERTS), false)));
    tls.addAll(
        values(MspFolder.certificates(mspDir.resolve(MspFolder.TLSINTERMEDIATECERTS), false)));
    return new OrgTrust(
        mspId,
        mspDir,
        rootCerts,
        List.copyOf(interCerts),
        Set.copyOf(internal),
        Map.copyOf(crlsByCa),
        List.copyOf(tls));
  }

  String mspId() {
    return mspId;
  }

  Path mspDir() {
    return mspDir;
  }

  /** The TLS root and intermediate CA certificates of the organisation. */
  List<X509Certificate> tlsCertificates() {
    return tlsCertificates;
  }

  /**
   * Validates {@code identity} at {@code now} (see the class Javadoc).
   *
   * @return the chain, identity first, root last
   * @throws InvalidIdentityException saying why it is rejected
   */
  List<X509Certificate> validate(X509Identity identity, Instant now)
      throws InvalidIdentityException {
    X509Certificate cert = identity.certificate();
    String who = identity.describe();
    if (cert.getBasicConstraints() >= 0) {
      throw new InvalidIdentityException(
          Reason.UNTRUSTED,
          who + " is a CA certificate (basicConstraints CA=true) and cannot be an identity");
    }
    checkDates(identity, now);
    List<List<X509Certificate>> chains = chains(cert);
    if (chains.isEmpty()) {
      throw new InvalidIdentityException(
          Reason.UNTRUSTED,
          who
              + " is not signed by a CA of '"
              + mspId
              + "' (issuer "
              + cert.getIssuerX500Principal().getName()
              + ")");
    }
    if (chains.size() > 1) {
      throw new InvalidIdentityException(
          Reason.UNTRUSTED,
          who + " has more than one validation chain to the CAs of '" + mspId + "'");
    }
    List<X509Certificate> chain = chains.get(0);
    checkPath(who, chain, now);
    X509Certificate issuer = chain.get(1);
    if (internalNodes.contains(issuer)) {
      throw new InvalidIdentityException(
          Reason.UNTRUSTED,
          who
              + " is issued by "
              + subject(issuer)
              + ", which issues intermediate CAs of '"
              + mspId
              + "'; identities must come from a leaf CA of the certification tree");
    }
    for (int i = 0; i + 1 < chain.size(); i++) {
      X509CRLEntry entry = revocation(chain.get(i), chain.get(i + 1));
      if (entry != null) {
        String serial = chain.get(i).getSerialNumber().toString(16);
        throw new InvalidIdentityException(
            Reason.REVOKED,
            (i == 0
                    ? who + " is revoked"
                    : who + " chains to CA " + subject(chain.get(i)) + ", revoked")
                + " (serial "
                + serial
                + ") by a CRL of "
                + subject(chain.get(i + 1))
                + " of '"
                + mspId
                + "'");
      }
    }
    return chain;
  }

  /**
   * Checks that {@code now} is within the validity dates of {@code identity}'s certificate.
   *
   * @throws InvalidIdentityException "... expired at T" or "... is not valid before T"
   */
  static void checkDates(X509Identity identity, Instant now) throws InvalidIdentityException {
    if (now.isBefore(identity.notBefore())) {
      throw new InvalidIdentityException(
          Reason.NOT_YET_VALID,
          identity.describe() + " is not valid before " + identity.notBefore());
    }
    if (now.isAfter(identity.expiresAt())) {
      throw new InvalidIdentityException(
          Reason.EXPIRED, identity.describe() + " expired at " + identity.expiresAt());
    }
  }

  /** Every chain from {@code cert} to a root, at most two (one is all Fabric accepts). */
  private List<List<X509Certificate>> chains(X509Certificate cert) {
    List<List<X509Certificate>> out = new ArrayList<>();
    List<X509Certificate> start = new ArrayList<>();
    start.add(cert);
    extend(start, out);
    return out;
  }

  private void extend(List<X509Certificate> path, List<List<X509Certificate>> out) {
    if (out.size() > 1 || path.size() > MAX_CHAIN) {
      return;
    }
    X509Certificate last = path.get(path.size() - 1);
    for (X509Certificate ca : concatCerts(roots, intermediates)) {
      if (path.contains(ca) || !issued(ca, last)) {
        continue;
      }
      List<X509Certificate> next = new ArrayList<>(path);
      next.add(ca);
      if (roots.contains(ca)) {
        out.add(next);
      } else {
        extend(next, out);
      }
    }
  }

  private static boolean issued(X509Certificate ca, X509Certificate cert) {
    if (!ca.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
      return false;
    }
    try {
      Ecdsa.verifyCertificate(cert, ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException notByThisKey) {
      return false;
    }
  }

  /** RFC 5280 path validation of {@code chain} (root last) at {@code now}. */
  private void checkPath(String who, List<X509Certificate> chain, Instant now)
      throws InvalidIdentityException {
    X509Certificate root = chain.get(chain.size() - 1);
    if (now.isBefore(root.getNotBefore().toInstant())
        || now.isAfter(root.getNotAfter().toInstant())) {
      throw new InvalidIdentityException(
          Reason.UNTRUSTED,
          who
              + " chains to root CA "
              + subject(root)
              + " of '"
              + mspId
              + "', which is valid only from "
              + root.getNotBefore().toInstant()
              + " to "
              + root.getNotAfter().toInstant());
    }
    try {
      CertPath path =
          CertificateFactory.getInstance("X.509")
              .generateCertPath(chain.subList(0, chain.size() - 1));
      PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
      params.setRevocationEnabled(false);
      params.setDate(Date.from(now));
      CertPathValidator.getInstance("PKIX").validate(path, params);
    } catch (CertPathValidatorException e) {
      int index = e.getIndex();
      X509Certificate failed = index >= 0 && index < chain.size() ? chain.get(index) : null;
      Reason kind =
          e.getReason() == CertPathValidatorException.BasicReason.EXPIRED
              ? Reason.EXPIRED
              : e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID
                  ? Reason.NOT_YET_VALID
                  : Reason.UNTRUSTED;
      throw new InvalidIdentityException(
          kind,
          who
              + " has an invalid chain to the CAs of '"
              + mspId
              + "'"
              + (failed == null ? "" : " at " + subject(failed))
              + ": "
              + reason(e, failed),
          e);
    } catch (GeneralSecurityException e) {
      throw new InvalidIdentityException(
          Reason.UNTRUSTED,
          who + ": path validation against '" + mspId + "' failed: " + e.getMessage(),
          e);
    }
  }

  private static String reason(CertPathValidatorException e, @Nullable X509Certificate failed) {
    CertPathValidatorException.Reason reason = e.getReason();
    if (failed != null && reason == CertPathValidatorException.BasicReason.EXPIRED) {
      return "expired at " + failed.getNotAfter().toInstant();
    }
    if (failed != null && reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
      return "not valid before " + failed.getNotBefore().toInstant();
    }
    if (reason == PKIXReason.NOT_CA_CERT) {
      return "not a CA certificate";
    }
    return reason + " (" + e.getMessage() + ")";
  }

  /** The entry revoking {@code cert} in a CRL of {@code issuer}, or null. */
  private @Nullable X509CRLEntry revocation(X509Certificate cert, X509Certificate issuer) {
    for (X509CRL crl : crlsByCa.getOrDefault(issuer, List.of())) {
      X509CRLEntry entry = crl.getRevokedCertificate(cert.getSerialNumber());
      if (entry != null) {
        return entry;
      }
    }
    return null;
  }

  /** The CA of this organisation that issued and signed {@code crl}, or null. */
  private @Nullable X509Certificate crlSigner(X509CRL crl) {
    byte[] aki =
        keyIdentifier(crl.getExtensionValue(Extension.authorityKeyIdentifier.getId()), true);
    for (X509Certificate ca : concatCerts(roots, intermediates)) {
      byte[] ski =
          keyIdentifier(ca.getExtensionValue(Extension.subjectKeyIdentifier.getId()), false);
      boolean applies =
          (aki != null && ski != null)
              ? Arrays.equals(aki, ski)
              : ca.getSubjectX500Principal().equals(crl.getIssuerX500Principal());
      if (!applies) {
        continue;
      }
      try {
        crl.verify(ca.getPublicKey());
        return ca;
      } catch (GeneralSecurityException | RuntimeException notSignedByIt) {
        // another CA may share the name or key identifier
      }
    }
    return null;
  }

  private static byte @Nullable [] keyIdentifier(byte @Nullable [] extension, boolean authority) {
    if (extension == null) {
      return null;
    }
    try {
      byte[] inner = ASN1OctetString.getInstance(extension).getOctets();
      return authority
          ? AuthorityKeyIdentifier.getInstance(inner).getKeyIdentifierOctets()
          : SubjectKeyIdentifier.getInstance(inner).getKeyIdentifier();
    } catch (RuntimeException malformed) {
      return null;
    }
  }

  static String subject(X509Certificate cert) {
    return "'" + cert.getSubjectX500Principal().getName() + "'";
  }

  private static <T> List<T> values(List<Sourced<T>> sourced) {
    return sourced.stream().map(Sourced::value).toList();
  }

  private static <T> List<Sourced<T>> concat(List<Sourced<T>> a, List<Sourced<T>> b) {
    List<Sourced<T>> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static List<X509Certificate> concatCerts(
      List<X509Certificate> a, List<X509Certificate> b) {
    Map<X509Certificate, Boolean> out = new LinkedHashMap<>();
    a.forEach(c -> out.put(c, true));
    b.forEach(c -> out.put(c, true));
    return new ArrayList<>(out.keySet());
  }

  @Override
  public String toString() {
    return "OrgTrust[" + mspId + ", " + mspDir + ", roots=" + roots.size() + "]";
  }
}
