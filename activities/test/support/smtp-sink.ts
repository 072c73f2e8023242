/** A local SMTP server that keeps what it receives, parsed, so tests read the mail really sent. */
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import type { ParsedMail } from 'mailparser';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export class SmtpSink {
  readonly mails: ParsedMail[] = [];
  /** Rejects this many messages (451, a temporary failure) before accepting. */
  rejectNext = 0;
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, _session, callback) => this.receive(stream, callback),
  });

  static async start(): Promise<SmtpSink> {
    const sink = new SmtpSink();
    await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private receive(stream: Readable, callback: (error?: Error | null) => void): void {
    simpleParser(stream).then(
      (mail) => {
        if (this.rejectNext > 0) {
          this.rejectNext -= 1;
          callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
          return;
        }
        this.mails.push(mail);
        callback();
      },
      (error: Error) => callback(error),
    );
  }
}
