/**
 * The automatic messages an inbox sends, as templates with named placeholders, editable per inbox and per
 * language; these are the defaults. Placeholders: `{{contact.name}}`, `{{inbox.name}}`, and per kind
 * `{{opening}}` (out of office: "on Monday at 9:00 AM", "w poniedziałek o 09:00"... in the customer's language), `{{position}}` and `{{minutes}}`
 * (queue). Pure.
 */
export const AUTO_REPLY_KINDS = ['greeting', 'out_of_office', 'queue_position', 'fully_busy', 'hold', 'closing'] as const;
export type AutoReplyKind = (typeof AUTO_REPLY_KINDS)[number];

export const PLACEHOLDERS: Record<AutoReplyKind, readonly string[]> = {
  greeting: ['contact.name', 'inbox.name'],
  out_of_office: ['contact.name', 'inbox.name', 'opening'],
  queue_position: ['contact.name', 'inbox.name', 'position', 'minutes'],
  fully_busy: ['contact.name', 'inbox.name'],
  hold: ['contact.name', 'inbox.name'],
  closing: ['contact.name', 'inbox.name'],
};

type Catalog = Record<AutoReplyKind, string>;

export const DEFAULT_TEMPLATES: Record<string, Catalog> = {
  en: {
    greeting: 'Hello {{contact.name}}, thank you for writing to {{inbox.name}}. An agent will be with you shortly.',
    out_of_office: 'Hello {{contact.name}}, we are away right now. We are back {{opening}} and will answer you then.',
    queue_position: 'You are number {{position}} in the queue, about {{minutes}} min.',
    fully_busy: 'We are fully busy right now. Your message is saved and we will answer as soon as we can.',
    hold: 'One moment, please, I am checking.',
    closing: 'Thank you for contacting {{inbox.name}}. Write again any time.',
  },
  pl: {
    greeting: 'Dzień dobry {{contact.name}}, dziękujemy za wiadomość do {{inbox.name}}. Konsultant wkrótce odpowie.',
    out_of_office: 'Dzień dobry {{contact.name}}, teraz nas nie ma. Wracamy {{opening}} i wtedy odpowiemy.',
    queue_position: 'Jesteś {{position}}. w kolejce, około {{minutes}} min.',
    fully_busy: 'W tej chwili wszyscy konsultanci są zajęci. Wiadomość jest zapisana, odpowiemy najszybciej, jak to możliwe.',
    hold: 'Chwileczkę, sprawdzam.',
    closing: 'Dziękujemy za kontakt z {{inbox.name}}. Zapraszamy ponownie.',
  },
  sl: {
    greeting: 'Pozdravljeni {{contact.name}}, hvala za sporočilo {{inbox.name}}. Svetovalec se vam bo kmalu oglasil.',
    out_of_office: 'Pozdravljeni {{contact.name}}, trenutno nismo dosegljivi. Vrnemo se {{opening}} in vam takrat odgovorimo.',
    queue_position: 'V vrsti ste {{position}}., približno {{minutes}} min.',
    fully_busy: 'Trenutno smo vsi zasedeni. Sporočilo je shranjeno, odgovorili bomo čim prej.',
    hold: 'Trenutek, prosim, preverjam.',
    closing: 'Hvala, da ste se obrnili na {{inbox.name}}. Pišite nam kadarkoli.',
  },
  hu: {
    greeting: 'Üdvözöljük, {{contact.name}}! Köszönjük, hogy írt a(z) {{inbox.name}} részére. Munkatársunk hamarosan válaszol.',
    out_of_office: 'Üdvözöljük, {{contact.name}}! Most nem vagyunk elérhetők. Visszatérünk {{opening}}, és akkor válaszolunk.',
    queue_position: 'Ön a(z) {{position}}. a sorban, kb. {{minutes}} perc.',
    fully_busy: 'Jelenleg minden munkatársunk foglalt. Üzenetét megkaptuk, amint lehet, válaszolunk.',
    hold: 'Egy pillanat, utánanézek.',
    closing: 'Köszönjük, hogy a(z) {{inbox.name}} csapatához fordult. Írjon bármikor.',
  },
  ru: {
    greeting: 'Здравствуйте, {{contact.name}}! Спасибо, что написали в {{inbox.name}}. Оператор скоро ответит.',
    out_of_office: 'Здравствуйте, {{contact.name}}! Сейчас мы не на связи. Вернёмся {{opening}} и ответим вам.',
    queue_position: 'Вы {{position}}-й в очереди, примерно {{minutes}} мин.',
    fully_busy: 'Сейчас все операторы заняты. Ваше сообщение сохранено, мы ответим как можно скорее.',
    hold: 'Одну минуту, я уточняю.',
    closing: 'Спасибо, что обратились в {{inbox.name}}. Пишите в любое время.',
  },
  uk: {
    greeting: 'Вітаємо, {{contact.name}}! Дякуємо, що написали до {{inbox.name}}. Оператор незабаром відповість.',
    out_of_office: 'Вітаємо, {{contact.name}}! Зараз ми не на зв’язку. Повернемося {{opening}} і відповімо вам.',
    queue_position: 'Ви {{position}}-й у черзі, приблизно {{minutes}} хв.',
    fully_busy: 'Зараз усі оператори зайняті. Ваше повідомлення збережено, ми відповімо якнайшвидше.',
    hold: 'Хвилинку, я перевіряю.',
    closing: 'Дякуємо, що звернулися до {{inbox.name}}. Пишіть будь-коли.',
  },
};

/** The language to write in: the contact's when the platform reported one we have, else the inbox's default. */
export function chooseLanguage(contactLanguage: string | null | undefined, inboxDefault: string, available: Iterable<string>): string {
  const have = new Set(available);
  const primary = contactLanguage?.toLowerCase().split(/[-_]/)[0];
  if (primary && have.has(primary)) return primary;
  return have.has(inboxDefault) ? inboxDefault : 'en';
}

/** Placeholders a template uses that its kind does not offer: refused when an admin saves it. */
export function unknownPlaceholders(kind: AutoReplyKind, template: string): string[] {
  return [...template.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)].map((m) => m[1]).filter((name) => !PLACEHOLDERS[kind].includes(name));
}

/**
 * Fills the placeholders. Values are plain text in a plain-text message: nothing is escaped or interpreted, and
 * a value containing `{{...}}` is not expanded again (one pass). An empty value takes the comma or space before
 * it along, so "Hello {{contact.name}}," reads "Hello," and "Здравствуйте, {{contact.name}}!" reads "Здравствуйте!".
 */
export function renderTemplate(template: string, values: Record<string, string | number | null | undefined>): string {
  return template.replace(/(,? ?)\{\{\s*([^}]+?)\s*\}\}/g, (_whole, before: string, name: string) => {
    const v = values[name];
    return v === null || v === undefined || v === '' ? '' : `${before}${v}`;
  });
}
