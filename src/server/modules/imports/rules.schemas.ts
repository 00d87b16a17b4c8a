import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../../platform/schemas.js';
import { CsvMappingSchema, Delimiter, Encoding } from './statements.schemas.js';

const Field = Type.Union([Type.Literal('description'), Type.Literal('payee'), Type.Literal('mcc')], {
  description: 'What the pattern is looked for in: text fields by containment ignoring case, MCC exactly',
});

export const RuleDto = Type.Object(
  {
    id: Id(),
    field: Field,
    pattern: Type.String(),
    categoryId: Nullable(Id('Category to set')),
    setDescription: Nullable(Type.String({ description: 'Description to write instead' })),
    transferAccountId: Nullable(Id('Make it a transfer with this own account')),
    position: Type.Integer({ description: 'Rules apply in this order; the first match decides' }),
    createdAt: Timestamp(),
  },
  { $id: 'ImportRule' },
);
export type RuleDto = Static<typeof RuleDto>;

export const CreateRuleBody = Type.Object(
  {
    field: Field,
    pattern: Type.String({ minLength: 1, maxLength: 200 }),
    categoryId: Type.Optional(Nullable(Id())),
    setDescription: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 500 }))),
    transferAccountId: Type.Optional(Nullable(Id())),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
  },
  { additionalProperties: false },
);
export type CreateRuleBody = Static<typeof CreateRuleBody>;

export const UpdateRuleBody = Type.Partial(CreateRuleBody, { additionalProperties: false });
export type UpdateRuleBody = Static<typeof UpdateRuleBody>;

export const PresetDto = Type.Object(
  {
    id: Id(),
    name: Type.String(),
    encoding: Nullable(Type.String()),
    delimiter: Nullable(Type.String()),
    mapping: CsvMappingSchema,
    createdAt: Timestamp(),
  },
  { $id: 'ImportPreset' },
);
export type PresetDto = Static<typeof PresetDto>;

export const CreatePresetBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    encoding: Type.Optional(Encoding),
    delimiter: Type.Optional(Delimiter),
    mapping: CsvMappingSchema,
  },
  { additionalProperties: false },
);
export type CreatePresetBody = Static<typeof CreatePresetBody>;
