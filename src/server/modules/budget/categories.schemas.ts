import { Type, type Static } from 'typebox';
import { Id, Money, Nullable, Timestamp } from '../../platform/schemas.js';

export const CategoryKind = Type.Union([Type.Literal('income'), Type.Literal('expense')], {
  description: 'income or expense',
});
export type CategoryKind = Static<typeof CategoryKind>;

const Color = Type.String({
  pattern: '^#[0-9a-fA-F]{6}$',
  description: 'Colour #rrggbb',
  examples: ['#4caf50'],
});
const CategoryName = Type.String({ minLength: 1, maxLength: 60 });
const MonthlyLimit = Money("Monthly spending limit in the user's base currency; expense categories only");

export const CategoryDto = Type.Object(
  {
    id: Id(),
    kind: CategoryKind,
    name: Type.String(),
    color: Type.String(),
    parentId: Nullable(Id('The group; null for a group itself')),
    monthlyLimit: Nullable(Money()),
    sortOrder: Type.Integer(),
    deleted: Type.Boolean({ description: 'Deleted categories stay on old transactions' }),
    createdAt: Timestamp(),
  },
  { $id: 'BudgetCategory' },
);
export type CategoryDto = Static<typeof CategoryDto>;

export const CreateCategoryBody = Type.Object(
  {
    kind: CategoryKind,
    name: CategoryName,
    parentId: Type.Optional(Type.Union([Id(), Type.Null()], { description: 'A group of the same kind' })),
    color: Type.Optional(Color),
    monthlyLimit: Type.Optional(Type.Union([MonthlyLimit, Type.Null()])),
    sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  },
  { additionalProperties: false },
);
export type CreateCategoryBody = Static<typeof CreateCategoryBody>;

export const UpdateCategoryBody = Type.Object(
  {
    name: Type.Optional(CategoryName),
    parentId: Type.Optional(Type.Union([Id(), Type.Null()])),
    color: Type.Optional(Color),
    monthlyLimit: Type.Optional(Type.Union([MonthlyLimit, Type.Null()])),
    sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateCategoryBody = Static<typeof UpdateCategoryBody>;

export const ListCategoriesQuery = Type.Object(
  {
    kind: Type.Optional(CategoryKind),
    includeDeleted: Type.Optional(
      Type.Boolean({ default: false, description: 'Also list deleted categories' }),
    ),
  },
  { additionalProperties: false },
);
