import nodemailer from 'nodemailer';
import type { Config } from './config';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

/**
 * Outgoing mail over SMTP when `SMTP_URL` is set. Without it `send` answers false and the caller
 * falls back (a staff member passes the link on by hand): an installation without mail still works.
 */
export interface Mailer {
  readonly configured: boolean;
  send(mail: Mail): Promise<boolean>;
}

export function createMailer(config: Config): Mailer {
  if (!config.smtp) return { configured: false, send: async () => false };
  const transport = nodemailer.createTransport(config.smtp.url);
  const from = config.smtp.from;
  return {
    configured: true,
    async send(mail) {
      await transport.sendMail({ from, ...mail });
      return true;
    },
  };
}
