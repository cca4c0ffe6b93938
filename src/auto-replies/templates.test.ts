import { AUTO_REPLY_KINDS, chooseLanguage, DEFAULT_TEMPLATES, renderTemplate, unknownPlaceholders } from './templates';

test('placeholders are filled once, as plain text, in every script', () => {
  expect(renderTemplate('Dzień dobry {{contact.name}}, tu {{inbox.name}}.', { 'contact.name': 'Łucja', 'inbox.name': 'Sklep <b>Żółw</b>' })).toBe(
    'Dzień dobry Łucja, tu Sklep <b>Żółw</b>.',
  );
  expect(renderTemplate('Hi {{contact.name}}!', { 'contact.name': '{{inbox.name}}', 'inbox.name': 'X' })).toBe('Hi {{inbox.name}}!');
  expect(renderTemplate('Вітаємо, {{contact.name}}! 👋', { 'contact.name': 'Олена' })).toBe('Вітаємо, Олена! 👋');
});

test('a missing name leaves a clean sentence', () => {
  expect(renderTemplate(DEFAULT_TEMPLATES.en.greeting, { 'inbox.name': 'Acme' })).toBe(
    'Hello, thank you for writing to Acme. An agent will be with you shortly.',
  );
  expect(renderTemplate(DEFAULT_TEMPLATES.ru.out_of_office, { opening: 'в понедельник 9:00' })).toBe(
    'Здравствуйте! Сейчас мы не на связи. Вернёмся в понедельник 9:00 и ответим вам.',
  );
});

test('every default template of every language uses only its kind’s placeholders', () => {
  for (const [lang, catalog] of Object.entries(DEFAULT_TEMPLATES)) {
    for (const kind of AUTO_REPLY_KINDS) expect([lang, kind, unknownPlaceholders(kind, catalog[kind])]).toEqual([lang, kind, []]);
  }
  expect(unknownPlaceholders('greeting', 'Hi {{contact.email}} {{position}}')).toEqual(['contact.email', 'position']);
});

test('the customer’s language when we have it, else the inbox default', () => {
  const langs = Object.keys(DEFAULT_TEMPLATES);
  expect(chooseLanguage('pl-PL', 'en', langs)).toBe('pl');
  expect(chooseLanguage('uk', 'pl', langs)).toBe('uk');
  expect(chooseLanguage('de', 'sl', langs)).toBe('sl');
  expect(chooseLanguage(null, 'hu', langs)).toBe('hu');
  expect(chooseLanguage(undefined, 'xx', langs)).toBe('en');
});
