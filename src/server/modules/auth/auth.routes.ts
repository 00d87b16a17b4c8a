import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppInstance } from '../../platform/app-instance.js';
import { AppError } from '../../platform/errors.js';
import { limit } from '../../platform/rate-limit.js';
import { IdParams, Nullable, responses } from '../../platform/schemas.js';
import type { AuthService, ClientInfo, IssuedTokens } from './auth.service.js';
import {
  ChangePasswordBody,
  LoginBody,
  RefreshBody,
  RegisterBody,
  SessionDto,
  TokenResponse,
  UpdateMeBody,
  UserDto,
} from './auth.schemas.js';

export const REFRESH_COOKIE = 'wt_refresh';
const COOKIE_PATH = '/api/auth';

export function authRoutes(app: AppInstance, auth: AuthService): void {
  const { config, cache } = app.deps;
  const rl = config.rateLimit;
  const byIp = limit(cache, {
    name: 'auth-ip',
    max: rl.authPerIpPer15Min,
    windowMs: 15 * 60_000,
    key: (r) => r.ip,
  });
  // Per address and account: a stranger hammering one account cannot lock its owner out.
  const byIpAndAccount = limit(cache, {
    name: 'login',
    max: rl.loginPerAccountPer15Min,
    windowMs: 15 * 60_000,
    key: (r) => {
      const email = (r.body as { email?: unknown } | null)?.email;
      return `${r.ip}|${typeof email === 'string' ? email.trim().toLowerCase() : ''}`;
    },
  });
  const registerByIp = limit(cache, {
    name: 'register',
    max: rl.registerPerIpPerHour,
    windowMs: 60 * 60_000,
    key: (r) => r.ip,
  });

  const client = (r: FastifyRequest): ClientInfo => ({ ip: r.ip, userAgent: r.headers['user-agent'] ?? '' });

  function sendTokens(request: FastifyRequest, reply: FastifyReply, tokens: IssuedTokens, inBody: boolean) {
    void reply.setCookie(REFRESH_COOKIE, tokens.refreshToken, {
      httpOnly: true,
      sameSite: 'strict',
      secure: request.protocol === 'https',
      path: COOKIE_PATH,
      maxAge: config.refreshTokenDays * 86_400,
    });
    return {
      accessToken: tokens.accessToken,
      tokenType: 'bearer' as const,
      expiresIn: tokens.expiresIn,
      refreshToken: inBody ? tokens.refreshToken : undefined,
      user: tokens.user,
    };
  }

  /** New tokens for a refresh token; 401 when there is none or it is no longer good. */
  async function rotate(reply: FastifyReply, token: string | undefined): Promise<IssuedTokens> {
    if (!token) throw new AppError(401, 'INVALID_REFRESH_TOKEN', 'No refresh token');
    const result = await auth.refresh(token);
    if (!result.reused) return result.tokens;
    void reply.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
    throw new AppError(
      401,
      'REFRESH_TOKEN_REUSED',
      'This refresh token was already used; the session is closed',
    );
  }

  // The refresh cookie rides along automatically, so cookie routes accept only our own pages.
  function sameOrigin(request: FastifyRequest): void {
    const origin = request.headers.origin;
    if (origin === undefined) return;
    const own = `${request.protocol}://${request.host}`;
    if (origin !== own && !config.allowedOrigins.includes(origin)) {
      throw new AppError(403, 'ORIGIN_NOT_ALLOWED', 'Requests from this origin are not allowed');
    }
  }

  app.post(
    '/api/auth/register',
    {
      config: { public: true },
      onRequest: [byIp, registerByIp],
      schema: {
        tags: ['auth'],
        summary: 'Create an account and log in',
        body: RegisterBody,
        response: responses({ 201: TokenResponse, 409: Type.Ref('ErrorResponse') }),
      },
    },
    async (request, reply) => {
      const tokens = await auth.register(request.body, client(request));
      return reply
        .status(201)
        .send(sendTokens(request, reply, tokens, request.body.refreshTokenInBody === true));
    },
  );

  app.post(
    '/api/auth/login',
    {
      config: { public: true },
      onRequest: [byIp],
      preHandler: [byIpAndAccount],
      schema: {
        tags: ['auth'],
        summary: 'Log in with e-mail and password',
        description: 'Wrong password and unknown e-mail give the same 401.',
        body: LoginBody,
        response: responses({ 200: TokenResponse }),
      },
    },
    async (request, reply) => {
      const tokens = await auth.login(request.body, client(request));
      return sendTokens(request, reply, tokens, request.body.refreshTokenInBody === true);
    },
  );

  app.post(
    '/api/auth/refresh',
    {
      config: { public: true },
      onRequest: [byIp],
      schema: {
        tags: ['auth'],
        summary: 'Exchange a refresh token (cookie or body) for new tokens',
        description:
          'The refresh token rotates; presenting an old one again revokes the whole session, except within 10 s of its rotation (another tab, or an answer the browser never received), when it rotates again.',
        body: Type.Optional(RefreshBody),
        response: responses({
          200: TokenResponse,
          403: Type.Ref('ErrorResponse'),
          409: Type.Ref('ErrorResponse'),
        }),
      },
    },
    async (request, reply) => {
      sameOrigin(request);
      const token = request.body?.refreshToken ?? request.cookies[REFRESH_COOKIE];
      return sendTokens(
        request,
        reply,
        await rotate(reply, token),
        request.body?.refreshTokenInBody === true,
      );
    },
  );

  app.post(
    '/api/auth/session',
    {
      config: { public: true },
      onRequest: [byIp],
      schema: {
        tags: ['auth'],
        summary: "Resume the pages' session from the refresh cookie, or learn there is none",
        description:
          'Like /auth/refresh with the cookie, but "no session" (no cookie, expired, revoked or reused) is a 200 with null rather than a 401: a logged-out visit is an expected answer, not an error. The cookie rotates the same way.',
        response: responses({ 200: Nullable(TokenResponse), 403: Type.Ref('ErrorResponse') }),
      },
    },
    async (request, reply) => {
      sameOrigin(request);
      try {
        return sendTokens(request, reply, await rotate(reply, request.cookies[REFRESH_COOKIE]), false);
      } catch (err) {
        if (!(err instanceof AppError && err.status === 401)) throw err;
        void reply.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
        return null;
      }
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { public: true },
      onRequest: [byIp],
      schema: {
        tags: ['auth'],
        summary: 'End the session of the refresh cookie (or of the access token)',
        body: Type.Optional(RefreshBody),
        response: responses({ 204: Type.Null() }),
      },
    },
    async (request, reply) => {
      sameOrigin(request);
      const token = request.body?.refreshToken ?? request.cookies[REFRESH_COOKIE];
      const sid = await app.optionalSession(request);
      await auth.logout(token, sid);
      void reply.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/users/me',
    { schema: { tags: ['users'], summary: 'The current user', response: responses({ 200: UserDto }) } },
    async (request) => auth.me(request.auth.userId),
  );

  app.patch(
    '/api/users/me',
    {
      schema: {
        tags: ['users'],
        summary: 'Update name, base currency, language or time zone',
        body: UpdateMeBody,
        response: responses({ 200: UserDto }),
      },
    },
    async (request) => auth.updateMe(request.auth.userId, request.body),
  );

  app.post(
    '/api/users/me/password',
    {
      onRequest: [byIp],
      schema: {
        tags: ['users'],
        summary: 'Change the password; every other session is ended',
        body: ChangePasswordBody,
        response: responses({ 204: Type.Null(), 403: Type.Ref('ErrorResponse') }),
      },
    },
    async (request, reply) => {
      const { currentPassword, newPassword } = request.body;
      await auth.changePassword(request.auth.userId, request.auth.sessionId, currentPassword, newPassword);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/users/me/sessions',
    {
      schema: {
        tags: ['users'],
        summary: 'Active sessions',
        response: responses({ 200: Type.Array(SessionDto) }),
      },
    },
    async (request) => auth.listSessions(request.auth.userId, request.auth.sessionId),
  );

  app.delete(
    '/api/users/me/sessions/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'End a session (log out that device)',
        params: IdParams,
        response: responses({ 204: Type.Null() }),
      },
    },
    async (request, reply) => {
      await auth.revokeSession(request.auth.userId, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
