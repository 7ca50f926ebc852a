import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { type ParsedMail, parseMail } from '../../src/notify/mime.js';

export interface ReceivedMail extends ParsedMail {
  envelopeTo: string[];
  outboxId: number;
  raw: string;
}

/** A real SMTP server for tests: receives over TCP and keeps what arrived. Can go down and up. */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  private server?: SMTPServer;
  port = 0;

  /** Received mail in outbox order (the worker delivers a batch side by side). */
  inOrder(): ReceivedMail[] {
    return [...this.received].sort((a, b) => a.outboxId - b.outboxId);
  }

  get running() {
    return this.server !== undefined;
  }

  get url() {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = new SMTPServer({
      secure: false,
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const mail = parseMail(raw);
          this.received.push({
            ...mail,
            raw,
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            outboxId: Number(mail.headers.get('x-outbox-id')),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Reads the properties of the first VEVENT of an .ics (unfolded lines), with parameters. */
export function parseIcs(ics: string): Map<string, { params: string; value: string }> {
  const lines = ics.replace(/\r\n[ \t]/g, '').split(/\r?\n/);
  const event = new Map<string, { params: string; value: string }>();
  let inEvent = false;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') inEvent = true;
    else if (line === 'END:VEVENT') break;
    else if (inEvent && !line.startsWith(' ')) {
      const colon = line.indexOf(':');
      const [name, ...params] = line.slice(0, colon).split(';');
      if (name && !event.has(name))
        event.set(name, { params: params.join(';'), value: line.slice(colon + 1) });
    }
  }
  return event;
}
