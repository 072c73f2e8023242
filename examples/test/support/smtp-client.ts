/** A minimal SMTP client for testing the sink without the product's mailer. */
import { connect } from 'node:net';

export function sendRawMail(
  port: number,
  mail: { from: string; to: string[]; subject: string; text: string },
): Promise<void> {
  const commands = [
    'EHLO test.local',
    `MAIL FROM:<${mail.from}>`,
    ...mail.to.map((address) => `RCPT TO:<${address}>`),
    'DATA',
    `From: ${mail.from}\r\nTo: ${mail.to.join(', ')}\r\nSubject: ${mail.subject}\r\n\r\n${mail.text}\r\n.`,
    'QUIT',
  ];
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('error', reject);
    socket.on('close', () => resolve());
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      // Each reply ends with a line "NNN text" (a space after the code): send the next command then.
      const lines = buffer.split('\r\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (!/^\d{3} /.test(line)) continue;
        if (!/^[23]/.test(line)) {
          socket.destroy();
          reject(new Error(`SMTP sink refused: ${line}`));
          return;
        }
        const next = commands.shift();
        if (next !== undefined) socket.write(`${next}\r\n`);
      }
    });
  });
}
