/**
 * Stand-in for the mail server: an SMTP sink that accepts every message (no TLS, any or no login)
 * and keeps it parsed in memory, plus an HTTP inbox to read what arrived (`GET /messages`).
 */
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { StandinError, jsonApp } from './http';

export interface ReceivedMessage {
  id: number;
  receivedAt: string;
  /** Envelope sender and recipients, as the SMTP client gave them. */
  from: string;
  to: string[];
  subject: string;
  text: string;
}

export class Mailbox {
  readonly messages: ReceivedMessage[] = [];

  add(message: Omit<ReceivedMessage, 'id' | 'receivedAt'>): void {
    this.messages.push({
      id: this.messages.length + 1,
      receivedAt: new Date().toISOString(),
      ...message,
    });
  }
}

export interface RunningSmtpSink {
  port: number;
  close(): Promise<void>;
}

export function startSmtpSink(mailbox: Mailbox, port: number): Promise<RunningSmtpSink> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(_auth, _session, callback) {
      callback(null, { user: 'demo' });
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const sender = session.envelope.mailFrom;
          mailbox.add({
            from: sender ? sender.address : '',
            to: session.envelope.rcptTo.map((recipient) => recipient.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
          });
          callback();
        })
        .catch((error: unknown) => {
          callback(new StandinError('the SMTP sink could not parse a message', { cause: error }));
        });
    },
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error) => {
      reject(new StandinError(`SMTP sink could not listen on 127.0.0.1:${port}`, { cause: error }));
    });
    server.listen(port, '127.0.0.1', () => {
      resolve({
        port: (server.server.address() as AddressInfo).port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

export function createInboxApp(mailbox: Mailbox): Express {
  const app = jsonApp();
  app.get('/messages', (_req, res) => {
    res.json({ messages: mailbox.messages });
  });
  app.delete('/messages', (_req, res) => {
    mailbox.messages.length = 0;
    res.status(204).end();
  });
  return app;
}
