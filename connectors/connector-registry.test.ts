import { ConnectorRegistry, strictInput } from './connector-registry';
import { shippedConnectors } from './registry';
import { telegramConnector } from './telegram';
import { viberSettingsSchema } from './viber/schema';

test('the shipped registry lists every connector once, in its order', () => {
  expect(shippedConnectors.types()).toEqual(['telegram', 'botframework', 'viber', 'whatsapp_cloud', 'whatsapp_web', 'sandbox']);
  expect(shippedConnectors.sessionDefinitions().map((d) => d.type)).toEqual(['whatsapp_web']);
});

test('two connectors with one type, or a type that is not lower_snake_case, are refused at start-up', () => {
  expect(() => new ConnectorRegistry([telegramConnector, telegramConnector])).toThrow(/two connectors declare the type "telegram"/);
  expect(() => new ConnectorRegistry([{ ...telegramConnector, type: 'Tele-gram' }])).toThrow(/lower_snake_case/);
  expect(() => shippedConnectors.with({ ...telegramConnector })).toThrow(/two connectors/);
});

test('with() adds without changing the original', () => {
  const more = shippedConnectors.with({ ...telegramConnector, type: 'telegram_copy' });
  expect(more.get('telegram_copy')).toBeDefined();
  expect(shippedConnectors.get('telegram_copy')).toBeUndefined();
});

test('the type schema accepts known types and names them when refusing', () => {
  expect(shippedConnectors.typeSchema().safeParse('viber').success).toBe(true);
  const refused = shippedConnectors.typeSchema().safeParse('icq');
  expect(refused.success).toBe(false);
  expect(refused.error!.issues[0].message).toContain('known: telegram, botframework');
});

test('input is strict: an unknown setting is refused, while stored rows keep the lenient schema', () => {
  const stored = { senderName: 'Support', publicMediaBaseUrl: 'https://old.example' };
  expect(viberSettingsSchema.safeParse(stored).success).toBe(true);
  const strict = strictInput(viberSettingsSchema).safeParse(stored);
  expect(strict.success).toBe(false);
  expect(strict.error!.issues[0].message).toMatch(/publicMediaBaseUrl/);
});

test('describe() gives JSON Schemas a form can be built from: defaults optional, no extra keys', () => {
  const viber = shippedConnectors.describe().find((d) => d.type === 'viber')!;
  expect(viber.displayName).toBe('Viber');
  expect(viber.session).toBe(false);
  expect(viber.settingsSchema).toMatchObject({ type: 'object', required: ['senderName'], additionalProperties: false });
  expect((viber.settingsSchema.properties as any).senderName).toMatchObject({ type: 'string', minLength: 1, maxLength: 28, title: 'Sender name' });
  expect((viber.settingsSchema.properties as any).senderName.description).toEqual(expect.any(String));
  expect(viber.credentialsSchema).toMatchObject({ required: ['authToken'], additionalProperties: false });
  for (const d of shippedConnectors.describe()) expect(JSON.parse(JSON.stringify(d))).toEqual(d);
});

test('describe() says which credentials Parley generates (optional on input) and who registers webhooks', () => {
  const byType = Object.fromEntries(shippedConnectors.describe().map((d) => [d.type, d]));
  expect(byType.telegram.generatedCredentials).toEqual(['webhookSecret']);
  expect(byType.telegram.credentialsSchema.required).toEqual(['botToken']);
  expect(byType.whatsapp_web.credentialsSchema.required).toBeUndefined();
  expect(
    Object.values(byType)
      .filter((d) => d.registersWebhook)
      .map((d) => d.type),
  ).toEqual(['telegram', 'viber', 'whatsapp_cloud']);
  // Every field a form shows has a label.
  for (const d of Object.values(byType)) {
    for (const schema of [d.credentialsSchema, d.settingsSchema]) {
      for (const [key, field] of Object.entries(schema.properties as Record<string, { title?: string }>))
        expect([key, field.title]).toEqual([key, expect.any(String)]);
    }
  }
});
