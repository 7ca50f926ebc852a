import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: string;
}

export interface DevMailboxTable {
  id: Generated<number>;
  received_at: Timestamp;
  mail_from: string | null;
  recipients: string[];
  subject: Generated<string>;
  text_body: string | null;
  html_body: string | null;
  attachments: ColumnType<MailAttachment[], string, string>;
  raw: string;
}

declare module '../platform/db-schema.js' {
  interface Database {
    dev_mailbox: DevMailboxTable;
  }
}
