import { randomInt } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import gost89 from 'gost89';
import jk, { type Box, type Certificate, type Curve, type Priv } from 'jkurwa';

/**
 * ID.GOV.UA's encrypted user info: the provider signs the JSON (DSTU 4145, GOST 34.311 digest),
 * then envelopes it for the certificate we sent as `cert` (CMS EnvelopedData, key agreement
 * dhSinglePass-cofactorDH-gost34311kdf, GOST 28147 key wrap and CFB content encryption), as the
 * IIT library does. All of that is jkurwa's and gost89's work; this module only wires keys and
 * judges the outcome. GOST 28147 CFB carries no integrity check: the inner signature is what
 * tells a tampered envelope, so an envelope without a valid signature is refused.
 */

const algo = gost89.compat.algos();

export type EnvelopeProblem =
  | 'malformed'
  | 'not_for_us'
  | 'undecryptable'
  | 'unknown_sender'
  | 'unsigned'
  | 'bad_signature'
  | 'unknown_signer'
  | 'not_json';

const problemText: Record<EnvelopeProblem, string> = {
  malformed: 'not a CMS envelope',
  not_for_us: 'envelope is not addressed to our encryption certificate',
  undecryptable: 'envelope cannot be decrypted with our key (wrong key or altered envelope)',
  unknown_sender: "the sender's certificate is unknown (set IDGOVUA_PROVIDER_CERTS)",
  unsigned: 'decrypted content is not signed',
  bad_signature: 'signature does not match the content (altered envelope)',
  unknown_signer:
    'signed by a certificate that is not among the provider certificates (IDGOVUA_PROVIDER_CERTS)',
  not_json: 'decrypted content is not a JSON object',
};

export class EnvelopeError extends Error {
  constructor(readonly problem: EnvelopeProblem) {
    super(`ID.GOV.UA encrypted user info: ${problemText[problem]}`);
  }
}

/** Our side: the certificate we send and the key that opens what comes back. */
export interface EnvelopeOpener {
  /** Base64 DER of our encryption certificate (the `cert` parameter, before URL-encoding). */
  certBase64: string;
  open(encryptedUserInfo: string): Promise<Record<string, unknown>>;
}

/** The provider's side (the bundled emulator): signs and envelopes user info for a certificate. */
export interface EnvelopeSealer {
  seal(data: Record<string, unknown>, recipientCertBase64: string): Promise<string>;
  /** Its key-agreement certificate (names it as each envelope's sender) and its signing one. */
  certs: Certificate[];
}

/** PEM or Base64 text, or a path to a file with either or with DER bytes. */
export function readMaterial(value: string): Buffer {
  const text = value.trim();
  if (text.startsWith('-----BEGIN')) return pemBody(text);
  if (text.length > 64 && /^[A-Za-z0-9+/=\s]+$/.test(text)) return Buffer.from(text, 'base64');
  if (!existsSync(text)) throw new Error(`not Base64, PEM or an existing file: ${text.slice(0, 40)}`);
  const bytes = readFileSync(text);
  const asText = bytes.toString('latin1');
  return asText.startsWith('-----BEGIN') ? pemBody(asText) : bytes;
}

function pemBody(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----(BEGIN|END)[^-]*-----/g, '').replace(/\s+/g, ''), 'base64');
}

/** Several certificates in one setting: PEM blocks, or Base64/paths separated by commas. */
function readCertificates(value: string | undefined): Certificate[] {
  if (!value?.trim()) return [];
  const blocks = value.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
  const parts = blocks ?? value.split(',').filter((p) => p.trim());
  return parts.map((p) => jk.Certificate.from_asn1(readMaterial(p)));
}

/**
 * Loads our encryption key and certificate. Refuses (with a one-line reason) a certificate not
 * meant for key agreement, a key that does not belong to it, or a key hitting jkurwa's limit.
 */
export function loadEnvelopeOpener(input: {
  cert: string;
  key: string;
  password?: string;
  providerCerts?: string | Certificate[];
  /** The bundled emulator's, when it stands in for the provider. */
  extraProviderCerts?: Certificate[];
}): EnvelopeOpener {
  const certDer = readMaterial(input.cert);
  const cert = jk.Certificate.from_asn1(certDer);
  if (!cert.canUseFor('encrypt'))
    throw new Error('IDGOVUA_ENCRYPTION_CERT is not a key-agreement (encryption) certificate');
  const box = new jk.Box({ algo });
  try {
    box.load({ keyBuffers: [readMaterial(input.key)], password: input.password });
  } catch {
    throw new Error('IDGOVUA_ENCRYPTION_KEY cannot be read (wrong password or format)');
  }
  box.load({ cert });
  const own = box.keys.find((k) => k.priv && k.cert === cert);
  if (!own?.priv) throw new Error('IDGOVUA_ENCRYPTION_KEY does not belong to IDGOVUA_ENCRYPTION_CERT');
  assertAgreementWorks(own.priv);
  const providers =
    typeof input.providerCerts === 'string' ? readCertificates(input.providerCerts) : input.providerCerts;
  const all = [...(providers ?? []), ...(input.extraProviderCerts ?? [])];
  for (const c of all) box.load({ cert: c });
  return {
    certBase64: certDer.toString('base64'),
    open: (encrypted) => openWith(box, encrypted, signersOf(all)),
  };
}

/**
 * The provider's signing certificates among the given ones, by key identifier. When there are
 * any, an envelope signed by anyone else is refused; without them, the signature proves only
 * that the content is intact (who sent it rests on TLS to the provider).
 */
function signersOf(certs: Certificate[]): Set<string> {
  return new Set(
    certs
      .filter((c) => c.canUseFor('sign') && c.extension.subjectKeyIdentifier)
      .map((c) => c.extension.subjectKeyIdentifier?.toString('hex') ?? ''),
  );
}

async function openWith(box: Box, encrypted: string, signers: Set<string>): Promise<Record<string, unknown>> {
  const der = Buffer.from(encrypted.replace(/\s+/g, ''), 'base64');
  if (der.length < 16) throw new EnvelopeError('malformed');
  let info: Awaited<ReturnType<Box['unwrap']>>;
  try {
    info = await box.unwrap(der);
  } catch {
    // A wrapped key that fails its check (or an envelope that fails to decode) ends here.
    throw new EnvelopeError('undecryptable');
  }
  const failed = info.pipe.find((step) => step.error);
  if (failed?.error === 'ENOKEY') throw new EnvelopeError('not_for_us');
  if (failed?.error === 'ENOCERT') throw new EnvelopeError(failed.signed ? 'unsigned' : 'unknown_sender');
  if (failed?.error === 'ESIGN') throw new EnvelopeError('bad_signature');
  if (failed) throw new EnvelopeError('undecryptable');
  const [first, second] = info.pipe;
  if (!first) throw new EnvelopeError('malformed');
  // Exactly: enveloped, then signed, then the data. Anything else is not what the provider sends.
  if (!first.enc) throw new EnvelopeError('undecryptable');
  if (info.pipe.length !== 2 || second?.signed !== true) throw new EnvelopeError('unsigned');
  if (signers.size > 0 && !signers.has(String(second.cert?.extension?.subjectKeyIdentifier ?? '')))
    throw new EnvelopeError('unknown_signer');
  let data: unknown;
  try {
    data = JSON.parse(info.content.toString('utf8'));
  } catch {
    throw new EnvelopeError('not_json');
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new EnvelopeError('not_json');
  return data as Record<string, unknown>;
}

/**
 * jkurwa multiplies the private scalar by the curve's cofactor as a field element, which is
 * only right while the product stays below the field's degree; its own key generation can
 * exceed the group order. A key-agreement round trip with a second key on the same curve
 * shows whether this key is affected: if so, the provider's envelopes could never be opened.
 */
function assertAgreementWorks(priv: Priv): void {
  const other = generateKey(priv.curve);
  const ukm = Buffer.alloc(64, 0x5a);
  const ours = Buffer.from(priv.sharedKey(other.pub(), ukm, algo.kdf));
  const theirs = Buffer.from(other.sharedKey(priv.pub(), ukm, algo.kdf));
  if (!ours.equals(theirs))
    throw new Error(
      'IDGOVUA_ENCRYPTION_KEY cannot be used with jkurwa (its scalar is at the top of the group order); issue another key',
    );
}

/**
 * A key from jkurwa's generator, kept only when its scalar is below the group order's top bit
 * (the generator's own output can exceed the order; see assertAgreementWorks).
 */
export function generateKey(curve: Curve): Priv {
  const bits = curve.order.bitLength();
  for (;;) {
    const priv = curve.keygen();
    if (priv.d.bitLength() < bits) return priv;
  }
}

const USAGE = { sign: '\x03\x02\x06\xc0', agreement: '\x03\x02\x03\x08' } as const;

/** A self-signed test certificate (demo and tests only: not issued by any qualified CA). */
export function selfSignedCertificate(
  priv: Priv,
  input: { name: string; role: 'sign' | 'agreement'; serial: number; validDays?: number; from?: number },
): Certificate {
  const from = input.from ?? Date.now() - 86_400_000;
  const subject = { organizationName: 'E-Zapys test', commonName: input.name };
  return jk.Certificate.signCert({
    privkey: priv,
    hash: algo.hash,
    certData: {
      serial: input.serial,
      issuer: subject,
      subject,
      valid: { from, to: from + (input.validDays ?? 3650) * 86_400_000 },
      usage: USAGE[input.role],
      sbox: jk.dstszi2010.DEFAULT_SBOX_COMPRESSED,
    },
  });
}

/** The provider's signing and encryption keys (the emulator's). */
export function createSealer(keys: {
  sign: { priv: Priv; cert: Certificate };
  agreement: { priv: Priv; cert: Certificate };
}): EnvelopeSealer {
  const box = new jk.Box({ algo });
  box.load({ priv: keys.sign.priv, cert: keys.sign.cert });
  box.load({ priv: keys.agreement.priv, cert: keys.agreement.cert });
  return {
    certs: [keys.agreement.cert, keys.sign.cert],
    async seal(data, recipientCertBase64) {
      const recipient = jk.Certificate.from_asn1(Buffer.from(recipientCertBase64, 'base64'));
      if (!recipient.canUseFor('encrypt')) throw new Error('not an encryption certificate');
      const envelope = await box.pipe(
        Buffer.from(JSON.stringify(data), 'utf8'),
        [{ op: 'sign' }, { op: 'encrypt', forCert: recipient }],
        {},
      );
      return envelope.toString('base64');
    },
  };
}

/** DSTU 4145 with the 431-bit polynomial basis curve, as qualified CAs issue encryption keys. */
const CURVE = 'DSTU_PB_431';

export interface TestKeyset {
  sealer: EnvelopeSealer;
  /**
   * Our side's material as configuration carries it (Base64 DER certificate, PBES2-protected
   * key); made on first read, since protecting a key costs seconds of GOST hashing.
   */
  readonly ours: { certBase64: string; keyBase64: string; password: string };
  opener: EnvelopeOpener;
}

/** Certificates are told apart by issuer and serial: each test keyset's are its own. */
const serial = () => randomInt(1, 2 ** 31 - 1);

/** Fresh keys for a demo run or a test: nothing here is a committed secret. */
export function generateTestKeyset(password = 'demo-only'): TestKeyset {
  const curve = jk.std_curve(CURVE);
  const provSign = generateKey(curve);
  const provAgree = generateKey(curve);
  const ours = generateKey(curve);
  const sealer = createSealer({
    sign: {
      priv: provSign,
      cert: selfSignedCertificate(provSign, {
        name: 'ID.GOV.UA emulator (sign)',
        role: 'sign',
        serial: serial(),
      }),
    },
    agreement: {
      priv: provAgree,
      cert: selfSignedCertificate(provAgree, {
        name: 'ID.GOV.UA emulator (key agreement)',
        role: 'agreement',
        serial: serial(),
      }),
    },
  });
  const ourCert = selfSignedCertificate(ours, {
    name: 'E-Zapys (key agreement)',
    role: 'agreement',
    serial: serial(),
  });
  const box = new jk.Box({ algo });
  box.load({ priv: ours, cert: ourCert });
  for (const c of sealer.certs) box.load({ cert: c });
  const certBase64 = ourCert.as_asn1().toString('base64');
  let keyBase64: string | undefined;
  return {
    sealer,
    opener: { certBase64, open: (encrypted) => openWith(box, encrypted, signersOf(sealer.certs)) },
    get ours() {
      keyBase64 ??= Buffer.from(ours.to_pbes2(password, algo)).toString('base64');
      return { certBase64, keyBase64, password };
    },
  };
}

let demo: TestKeyset | undefined;

/** The keys of this process's demo run: made once, on first use, kept in memory only. */
export function demoKeyset(): TestKeyset {
  demo ??= generateTestKeyset();
  return demo;
}
