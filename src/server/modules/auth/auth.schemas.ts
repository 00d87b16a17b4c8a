import { Type, type Static } from 'typebox';
import { Id, Timestamp } from '../../platform/schemas.js';

const Email = Type.String({
  format: 'email',
  maxLength: 254,
  description: 'E-mail address (case-insensitive)',
});
const Password = Type.String({ minLength: 8, maxLength: 256, description: 'At least 8 characters' });
const Locale = Type.Union([Type.Literal('ru'), Type.Literal('en')], { description: 'Interface language' });

export const UserDto = Type.Object(
  {
    id: Id(),
    email: Type.String(),
    name: Type.String(),
    baseCurrency: Type.String({ description: 'Currency totals are converted to' }),
    locale: Locale,
    timeZone: Type.String({ description: 'IANA time zone that decides which day a moment falls on' }),
    hasTinvestToken: Type.Boolean(),
    createdAt: Timestamp(),
  },
  { $id: 'User' },
);
export type UserDto = Static<typeof UserDto>;

export const RegisterBody = Type.Object(
  {
    email: Email,
    password: Password,
    name: Type.Optional(Type.String({ maxLength: 100 })),
    locale: Type.Optional(
      Type.Union([Type.Literal('ru'), Type.Literal('en')], {
        description: 'Language of the pages and of the starter categories and portfolio',
      }),
    ),
    refreshTokenInBody: Type.Optional(
      Type.Boolean({ description: 'Also return the refresh token in the body (for non-browser clients)' }),
    ),
  },
  { additionalProperties: false },
);

export const LoginBody = Type.Object(
  {
    email: Email,
    password: Type.String({ minLength: 1, maxLength: 256 }),
    refreshTokenInBody: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const RefreshBody = Type.Union([
  Type.Object(
    {
      refreshToken: Type.Optional(
        Type.String({ minLength: 1, maxLength: 200, description: 'Falls back to the refresh cookie' }),
      ),
      refreshTokenInBody: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
  Type.Null(),
]);

export const TokenResponse = Type.Object({
  accessToken: Type.String(),
  tokenType: Type.Literal('bearer'),
  expiresIn: Type.Integer({ description: 'Seconds until the access token expires' }),
  refreshToken: Type.Optional(Type.String()),
  user: UserDto,
});

export const UpdateMeBody = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 100 })),
    baseCurrency: Type.Optional(Type.String({ format: 'currency' })),
    locale: Type.Optional(Locale),
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateMeBody = Static<typeof UpdateMeBody>;

export const ChangePasswordBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 256 }), newPassword: Password },
  { additionalProperties: false },
);

export const SessionDto = Type.Object({
  id: Id(),
  userAgent: Type.String(),
  ip: Type.String(),
  createdAt: Timestamp(),
  lastUsedAt: Timestamp(),
  current: Type.Boolean({ description: 'The session this request was made with' }),
});
export type SessionDto = Static<typeof SessionDto>;
