import { metaSignature } from '../../connectors/shared/meta';

/**
 * What Meta posts to a WhatsApp Cloud API webhook when a customer writes: one builder, so the tests and the
 * fault suite (bench/faults) speak the same WhatsApp. No app, no test framework here: bench/ imports it too.
 */

/** One customer's message of any type (`text`, `audio`, `location`, …), with the body that type carries. */
export interface WhatsAppMessage {
  /** The business number it was sent to (Parley's channel). */
  phoneNumberId: string;
  displayPhoneNumber?: string;
  waId: string;
  name: string;
  /** Meta's message id: unique, or Parley takes it for a repeat delivery. */
  wamid: string;
  type: string;
  body: Record<string, unknown>;
  /** Unix seconds; now unless given. */
  timestamp?: number;
}

/** Meta's envelope around one change of the `messages` field (messages, statuses, contacts) for one business number. */
export function whatsAppEnvelope(phoneNumberId: string, value: Record<string, unknown>, displayPhoneNumber = '15550783881') {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: { messaging_product: 'whatsapp', metadata: { display_phone_number: displayPhoneNumber, phone_number_id: phoneNumberId }, ...value },
          },
        ],
      },
    ],
  };
}

/** The webhook body of one customer's message, with their profile. */
export function whatsAppMessageWebhook(m: WhatsAppMessage) {
  const timestamp = String(m.timestamp ?? Math.floor(Date.now() / 1000));
  return whatsAppEnvelope(
    m.phoneNumberId,
    {
      contacts: [{ profile: { name: m.name }, wa_id: m.waId }],
      messages: [{ from: m.waId, id: m.wamid, timestamp, type: m.type, [m.type]: m.body }],
    },
    m.displayPhoneNumber,
  );
}

/** The headers Meta sends: the body's signature with the app secret is what Parley verifies. */
export function whatsAppWebhookHeaders(appSecret: string, rawBody: Buffer | string): Record<string, string> {
  return { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(appSecret, rawBody) };
}
