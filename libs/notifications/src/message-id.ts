/**
 * The Message-ID of a customer e-mail: derived from the notification's id, so
 * every send of one notification (a retry after a crash between the SMTP
 * accept and recording it) is the same message, which mail systems and
 * clients recognise as one. The right-hand side is a domain: the configured
 * one, else the sender's own.
 */
export function messageIdFor(notificationId: string, domain: string): string {
  return `<${notificationId}@${domain}>`;
}

/** The domain of a sender address such as `Acme <care@acme.test>` or `care@acme.test`; undefined if there is none. */
export function senderDomain(from: string): string | undefined {
  const m = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from.trim());
  return m ? m[1].toLowerCase() : undefined;
}
