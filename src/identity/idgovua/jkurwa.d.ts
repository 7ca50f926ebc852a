// The parts of jkurwa (DSTU 4145, CMS envelopes) and gost89 (GOST 28147 / 34.311) used here; the
// packages ship no types.
declare module 'gost89' {
  export interface Algos {
    hash(data: Buffer): Buffer;
    kdf: unknown;
  }
  const gost89: { compat: { algos(): Algos } };
  export default gost89;
}

declare module 'jkurwa' {
  import type { Algos } from 'gost89';

  export interface Field {
    bitLength(): number;
  }
  export interface Pub {
    point: unknown;
  }
  export interface Priv {
    d: Field;
    curve: Curve;
    pub(): Pub;
    sharedKey(pub: Pub, ukm: Buffer, kdf: unknown): Buffer | Uint8Array;
    to_pbes2(password: string, algo: Algos): Buffer;
    as_asn1(): Buffer;
  }
  export interface Curve {
    order: Field;
    keygen(): Priv;
  }
  export interface Certificate {
    pubkey: Pub;
    extension: { subjectKeyIdentifier?: Buffer };
    serial: unknown;
    valid: { from: number; to: number };
    as_asn1(): Buffer;
    as_dict(): Record<string, unknown>;
    canUseFor(op: 'encrypt' | 'sign'): boolean;
    rdnSerial(): string;
  }
  export interface UnwrapStep {
    enc?: boolean;
    signed?: boolean;
    error?: string;
    cert?: { extension?: { subjectKeyIdentifier?: string } };
    signingTime?: number;
  }
  export interface KeyInfo {
    priv?: Priv;
    cert?: Certificate;
    keyBuffers?: Buffer[];
    password?: string;
  }
  export class Box {
    constructor(opts: { algo: Algos });
    keys: Array<{ priv?: Priv; cert?: Certificate }>;
    load(info: KeyInfo): void;
    pipe(
      data: Buffer,
      commands: Array<{ op: 'sign' | 'encrypt'; forCert?: Certificate }>,
      opts: Record<string, unknown>,
    ): Promise<Buffer>;
    unwrap(data: Buffer): Promise<{ pipe: UnwrapStep[]; content: Buffer; error?: string }>;
  }
  const jk: {
    Box: typeof Box;
    Certificate: {
      from_asn1(der: Buffer): Certificate;
      signCert(input: {
        privkey: Priv;
        hash: Algos['hash'];
        certData: {
          serial: number;
          issuer: Record<string, string>;
          subject: Record<string, string>;
          valid: { from: number; to: number };
          usage: string;
          sbox: Buffer;
        };
      }): Certificate;
    };
    std_curve(name: string): Curve;
    dstszi2010: { DEFAULT_SBOX_COMPRESSED: Buffer };
  };
  export default jk;
}
