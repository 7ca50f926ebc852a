import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EnvelopeError,
  generateTestKeyset,
  loadEnvelopeOpener,
} from '../../src/identity/idgovua/idgovua-envelope.js';

/**
 * ID.GOV.UA's encrypted user info (DSTU 4145 key agreement, GOST 28147 wrap and CFB, signed JSON
 * inside), opened with jkurwa. The fixture was produced once by fixtures/make-idgovua-envelope.ts
 * with a test-only key: these tests open an envelope no code in this run made.
 */
const fixture = JSON.parse(
  readFileSync(resolve(import.meta.dirname, 'fixtures/idgovua-envelope.json'), 'utf8'),
) as {
  password: string;
  recipientCert: string;
  recipientKey: string;
  providerCerts: string[];
  userInfo: Record<string, unknown>;
  envelope: string;
};

const opener = () =>
  loadEnvelopeOpener({
    cert: fixture.recipientCert,
    key: fixture.recipientKey,
    password: fixture.password,
    providerCerts: fixture.providerCerts.join(','),
  });

async function problemOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(EnvelopeError);
    return (error as EnvelopeError).problem;
  }
  return 'opened';
}

/** The envelope with one byte of its ciphertext (the end of the DER) flipped. */
function tampered(base64: string, fromEnd = 20): string {
  const der = Buffer.from(base64, 'base64');
  der[der.length - fromEnd] = (der[der.length - fromEnd] ?? 0) ^ 0x01;
  return der.toString('base64');
}

describe('ID.GOV.UA encrypted user info (jkurwa)', () => {
  it('the fixed envelope opens with our key to the signed user info', async () => {
    expect(await opener().open(fixture.envelope)).toEqual(fixture.userInfo);
  }, 60_000);

  it('our certificate goes out as Base64 DER, as the `cert` parameter wants it', () => {
    expect(opener().certBase64).toBe(fixture.recipientCert);
  }, 60_000);

  it('a tampered envelope is refused: GOST 28147 CFB has no MAC, the inner signature catches it', async () => {
    const o = opener();
    for (const fromEnd of [3, 20, 60]) {
      expect(['bad_signature', 'undecryptable', 'not_json']).toContain(
        await problemOf(o.open(tampered(fixture.envelope, fromEnd))),
      );
    }
    // Never opened to data:
    await expect(o.open(tampered(fixture.envelope))).rejects.toBeInstanceOf(EnvelopeError);
  }, 120_000);

  it('an envelope for another certificate, garbage, or an unknown sender is refused with its reason', async () => {
    const other = generateTestKeyset('other');
    expect(['not_for_us', 'undecryptable']).toContain(await problemOf(other.opener.open(fixture.envelope)));
    expect(await problemOf(opener().open('bm90IGFuIGVudmVsb3Bl'))).toBe('malformed');
    expect(await problemOf(opener().open(Buffer.alloc(200, 7).toString('base64')))).toMatch(
      /malformed|undecryptable/,
    );
    const noSender = loadEnvelopeOpener({
      cert: fixture.recipientCert,
      key: fixture.recipientKey,
      password: fixture.password,
    });
    expect(await problemOf(noSender.open(fixture.envelope))).toBe('unknown_sender');
  }, 120_000);

  it('with the provider’s signing certificate configured, an envelope signed by anyone else is refused', async () => {
    const impostor = generateTestKeyset('impostor');
    // The impostor's envelope for our certificate: we can name its sender, but it is not the provider.
    const forged = await impostor.sealer.seal({ drfocode: '3048156203' }, fixture.recipientCert);
    const impostorAgreement = impostor.sealer.certs[0]?.as_asn1().toString('base64') ?? '';
    const pinned = loadEnvelopeOpener({
      cert: fixture.recipientCert,
      key: fixture.recipientKey,
      password: fixture.password,
      providerCerts: [...fixture.providerCerts, impostorAgreement].join(','),
    });
    expect(await problemOf(pinned.open(forged))).toBe('unknown_signer');
    expect(await pinned.open(fixture.envelope)).toEqual(fixture.userInfo);
  }, 120_000);

  it('a wrong key password or a key of another certificate stops the start with a one-line reason', () => {
    expect(() =>
      loadEnvelopeOpener({ cert: fixture.recipientCert, key: fixture.recipientKey, password: 'wrong' }),
    ).toThrow(/IDGOVUA_ENCRYPTION_KEY cannot be read/);
    const other = generateTestKeyset('other');
    expect(() =>
      loadEnvelopeOpener({ cert: fixture.recipientCert, key: other.ours.keyBase64, password: 'other' }),
    ).toThrow(/does not belong to IDGOVUA_ENCRYPTION_CERT/);
    // The provider's certificate is a key-agreement one too, but not ours; a signing one is refused.
    expect(() =>
      loadEnvelopeOpener({ cert: 'not-a-file-and-not-base64', key: fixture.recipientKey }),
    ).toThrow(/not Base64, PEM or an existing file/);
  }, 120_000);

  it('generated keys seal and open both ways (the emulator and the adapter of one demo run)', async () => {
    const keys = generateTestKeyset();
    const data = { lastname: 'Гнатюк', drfocode: 'КВ123456', auth_type: 'diia_id' };
    const sealed = await keys.sealer.seal(data, keys.ours.certBase64);
    expect(sealed).not.toContain('Гнатюк');
    expect(await keys.opener.open(sealed)).toEqual(data);
  }, 120_000);
});
