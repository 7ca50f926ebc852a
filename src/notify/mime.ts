/**
 * A small MIME reader for the demo mailbox and the tests: enough for what nodemailer writes
 * (multipart/mixed + alternative, quoted-printable or base64, UTF-8, RFC 2047 subjects). Not a
 * general mail parser: the demo mailbox only ever receives our own messages.
 */
export interface ParsedPart {
  contentType: string;
  filename?: string;
  content: string;
}

export interface ParsedMail {
  headers: Map<string, string>;
  subject: string;
  from: string;
  to: string[];
  text: string | null;
  html: string | null;
  attachments: ParsedPart[];
}

export function parseMail(raw: string): ParsedMail {
  const { headers, body } = splitEntity(raw);
  const parts: ParsedPart[] = [];
  collectParts(headers, body, parts);
  const isAttachment = (p: ParsedPart) => p.filename !== undefined;
  const text = parts.find((p) => !isAttachment(p) && p.contentType.startsWith('text/plain'));
  const html = parts.find((p) => !isAttachment(p) && p.contentType.startsWith('text/html'));
  return {
    headers,
    subject: decodeWords(headers.get('subject') ?? ''),
    from: decodeWords(headers.get('from') ?? ''),
    to: (headers.get('to') ?? '')
      .split(',')
      .map((a) => decodeWords(a).trim())
      .filter(Boolean),
    text: text?.content ?? null,
    html: html?.content ?? null,
    attachments: parts.filter(isAttachment),
  };
}

function splitEntity(raw: string): { headers: Map<string, string>; body: string } {
  const normalized = raw.replace(/\r\n/g, '\n');
  const end = normalized.indexOf('\n\n');
  const head = end === -1 ? normalized : normalized.slice(0, end);
  const body = end === -1 ? '' : normalized.slice(end + 2);
  const headers = new Map<string, string>();
  let last: string | undefined;
  for (const line of head.split('\n')) {
    if (/^[ \t]/.test(line) && last) {
      headers.set(last, `${headers.get(last) ?? ''} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    headers.set(last, line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function param(header: string, name: string): string | undefined {
  const match = new RegExp(`${name}\\*?=(?:"([^"]*)"|([^;\\s]*))`, 'i').exec(header);
  const value = match?.[1] ?? match?.[2];
  if (value === undefined) return undefined;
  // RFC 2231 (name*=utf-8''…) as nodemailer writes long or non-ASCII file names.
  const ext = /^([\w-]+)''(.*)$/.exec(value);
  return ext ? decodeURIComponent(ext[2] ?? '') : decodeWords(value);
}

function collectParts(headers: Map<string, string>, body: string, out: ParsedPart[]) {
  const contentType = headers.get('content-type') ?? 'text/plain; charset=utf-8';
  const boundary = param(contentType, 'boundary');
  if (contentType.toLowerCase().startsWith('multipart/') && boundary) {
    const sections = body.split(`--${boundary}`);
    // sections[0] is the preamble; the last one starts with "--" (the closing delimiter).
    for (const section of sections.slice(1)) {
      if (section.startsWith('--')) break;
      const part = splitEntity(section.replace(/^\n/, ''));
      collectParts(part.headers, part.body, out);
    }
    return;
  }
  const disposition = headers.get('content-disposition') ?? '';
  const filename = param(disposition, 'filename') ?? param(contentType, 'name');
  out.push({
    contentType: contentType.split(';')[0]?.trim().toLowerCase() ?? 'text/plain',
    filename:
      disposition.toLowerCase().startsWith('attachment') || filename ? (filename ?? 'attachment') : undefined,
    content: decodeBody(body, headers.get('content-transfer-encoding') ?? '7bit'),
  });
}

function decodeBody(body: string, encoding: string): string {
  const enc = encoding.toLowerCase();
  const trimmed = body.replace(/\n$/, '');
  if (enc === 'base64') return Buffer.from(trimmed.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') return decodeQp(trimmed);
  return trimmed;
}

function decodeQp(value: string): string {
  const soft = value.replace(/=\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const ch = soft[i] as string;
    const hex = soft.slice(i + 1, i + 3);
    if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(ch, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words (=?UTF-8?B?…?= / =?UTF-8?Q?…?=), adjacent words joined. */
export function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _charset: string, kind: string, text: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQp(text.replace(/_/g, ' ')),
    );
}
