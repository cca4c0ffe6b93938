import { z } from 'zod';

export type JsonSchema = { [key: string]: unknown };

/**
 * zod → JSON Schema draft 2020-12 (the dialect of OpenAPI 3.1) with zod's own `z.toJSONSchema`. Schemas with a
 * `.meta({ id })` become shared components (`#/components/schemas/<id>`) instead of being repeated.
 * Everything is described as the client sends or receives it (`io: 'input'`): a timestamp is a string.
 */
export class SchemaCollector {
  readonly components: Record<string, JsonSchema> = {};

  convert(schema: z.ZodType): JsonSchema {
    const {
      $schema: _dialect,
      $defs,
      ...root
    } = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io: 'input',
      // A schema zod cannot express (a custom check) is documented as "anything" rather than failing the build.
      unrepresentable: 'any',
      override: ({ zodSchema, jsonSchema }) => {
        // Query parameters coerce strings to dates (`z.coerce.date()`): on the wire they are date-time strings.
        if (zodSchema._zod.def.type === 'date') Object.assign(jsonSchema, { type: 'string', format: 'date-time' });
        // zod adds its own regex for formats; the format says it, and the regexes make the page unreadable.
        if (typeof jsonSchema.format === 'string' && jsonSchema.pattern) delete jsonSchema.pattern;
      },
    }) as JsonSchema;
    for (const [id, definition] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) this.add(id, toComponentRefs(definition));
    return toComponentRefs(root);
  }

  private add(id: string, definition: JsonSchema): void {
    const existing = this.components[id];
    if (existing && JSON.stringify(existing) !== JSON.stringify(definition)) {
      throw new Error(`two different schemas are named ${id} (.meta({ id })): give one another name`);
    }
    this.components[id] = definition;
  }
}

/** zod refers to `#/$defs/<id>` within one schema; in the document they live under components. */
function toComponentRefs<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/')) as T;
}
