// How a webhook is signed, and how a receiver checks it (the README says the same in prose):
//
//   x-homeward-delivery-id: <UUID, one per attempt>
//   x-homeward-signature:   t=<Unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<delivery id>.<raw body>")>
//
// The secret is the recipient's own (answered once, at registration), used as given as the HMAC
// key. The delivery id is inside the signed text, so a replay cannot pass as a new delivery by
// changing it: a receiver refuses a timestamp outside its tolerance and a delivery id it has
// already seen within it.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a receiver should let a timestamp stray from its clock, either way. */
export const signatureToleranceSeconds = 300;

const hmacOf = (secret: string, timestamp: string, deliveryId: string, body: string) =>
  createHmac('sha256', secret).update(`${timestamp}.${deliveryId}.${body}`).digest('hex');

/** The x-homeward-signature value for one attempt. */
export function webhookSignature(secret: string, unixSeconds: number, deliveryId: string, body: string): string {
  const timestamp = String(unixSeconds);
  return `t=${timestamp},v1=${hmacOf(secret, timestamp, deliveryId, body)}`;
}

export type SignatureCheck = { valid: true; timestamp: number } | { valid: false; reason: 'malformed' | 'mismatch' | 'outside-tolerance' };

/** The receiver's side: the signature over this delivery id and raw body, with a timestamp within the tolerance of `now`. */
export function checkWebhookSignature(
  secret: string,
  header: string,
  deliveryId: string,
  body: string,
  now: Date,
  toleranceSeconds = signatureToleranceSeconds,
): SignatureCheck {
  const parts = new Map(header.split(',').map((part) => part.trim().split('=', 2) as [string, string]));
  const timestamp = parts.get('t') ?? '';
  const given = parts.get('v1') ?? '';
  if (!/^\d{1,12}$/.test(timestamp) || !/^[0-9a-f]{64}$/.test(given) || deliveryId === '') return { valid: false, reason: 'malformed' };
  const expected = Buffer.from(hmacOf(secret, timestamp, deliveryId, body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(given, 'hex'))) return { valid: false, reason: 'mismatch' };
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > toleranceSeconds) return { valid: false, reason: 'outside-tolerance' };
  return { valid: true, timestamp: Number(timestamp) };
}
