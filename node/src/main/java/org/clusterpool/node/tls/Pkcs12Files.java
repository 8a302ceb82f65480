package org.clusterpool.node.tls;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;

/**
 * The PKCS#12 files a member's TLS reads (Pekko's {@code ConfigSSLEngineProvider}, through the
 * JDK's {@code KeyStore}), written with {@link #ROUNDS} round of their password functions where the
 * JDK writes 10,000.
 *
 * <p>The password of these files is a published setting ({@code cluster.conf}), so its rounds
 * protect nothing: what keeps a member's key from other users is the private directory the files
 * are in ({@link PrivateFiles}: mode 0700, files 0600). And every JVM paid them at its start, on
 * code not yet compiled: the 30,000 rounds of reading a member's two files took 0.3 s of CPU, and
 * the JIT compiled the hash functions for 0.5 s more, in each worker JVM and several times in the
 * coordinator's, which writes them all.
 *
 * <p>The key is shrouded with PBES2 (AES-256-CBC, HMAC-SHA256), the files' integrity is an
 * HMAC-SHA256 (the JDK's {@code HmacPBESHA256}), certificates are in the clear, as they are public;
 * the CA's certificate is marked trusted as the JDK marks it, so that the JDK's {@code KeyStore}
 * reads it as a trusted certificate entry.
 */
final class Pkcs12Files {
  private Pkcs12Files() {}

  static final int ROUNDS = 1;

  /** The attribute by which the JDK knows a trusted certificate (Oracle's trustedKeyUsage). */
  private static final ASN1ObjectIdentifier TRUSTED_KEY_USAGE =
      new ASN1ObjectIdentifier("2.16.840.1.113894.746875.1.1");

  /** A key store of one key entry {@code alias}: the key and its chain, the key's own first. */
  static byte[] keyStore(
      String alias, PrivateKey key, List<X509Certificate> chain, char[] password) {
    try {
      SubjectKeyIdentifier keyId =
          new JcaX509ExtensionUtils().createSubjectKeyIdentifier(chain.get(0).getPublicKey());
      PKCS12SafeBagBuilder keyBag =
          new JcaPKCS12SafeBagBuilder(
              key,
              new JcePKCSPBEOutputEncryptorBuilder(NISTObjectIdentifiers.id_aes256_CBC)
                  .setPRF(
                      new AlgorithmIdentifier(
                          PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE))
                  .setIterationCount(ROUNDS)
                  .setProvider(Bc.PROVIDER) // the JDK's AES/CBC by this name has no padding
                  .build(password));
      keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(alias));
      keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, keyId);
      List<PKCS12SafeBag> bags = new ArrayList<>();
      bags.add(keyBag.build());
      for (int i = 0; i < chain.size(); i++) {
        PKCS12SafeBagBuilder certificate = new JcaPKCS12SafeBagBuilder(chain.get(i));
        if (i == 0) {
          certificate.addBagAttribute(
              PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(alias));
          certificate.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, keyId);
        }
        bags.add(certificate.build());
      }
      return sealed(bags, password);
    } catch (IOException | OperatorCreationException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot write a key store: " + e.getMessage(), e);
    }
  }

  /** A trust store of one trusted certificate {@code alias}. */
  static byte[] trustStore(String alias, X509Certificate trusted, char[] password) {
    try {
      PKCS12SafeBagBuilder certificate = new JcaPKCS12SafeBagBuilder(trusted);
      certificate.addBagAttribute(
          PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(alias));
      certificate.addBagAttribute(TRUSTED_KEY_USAGE, KeyPurposeId.anyExtendedKeyUsage.toOID());
      return sealed(List.of(certificate.build()), password);
    } catch (IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot write a trust store: " + e.getMessage(), e);
    }
  }

  /** BouncyCastle's provider, made once (it registers hundreds of algorithms), when first used. */
  private static final class Bc {
    static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();
  }

  private static byte[] sealed(List<PKCS12SafeBag> bags, char[] password)
      throws IOException, OperatorCreationException {
    PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
    for (PKCS12SafeBag bag : bags) pfx.addData(bag);
    try {
      return pfx.build(
              new BcPKCS12MacCalculatorBuilder(
                      new SHA256Digest(),
                      new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE))
                  .setIterationCount(ROUNDS),
              password)
          .getEncoded();
    } catch (PKCSException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
