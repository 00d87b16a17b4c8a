import { existsSync } from 'node:fs';
import { constants as zlibConstants } from 'node:zlib';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import fastifyCors from '@fastify/cors';
import fastifyJwt from '@fastify/jwt';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps, AppInstance } from './platform/app-instance.js';
import { AppError, frameworkErrors, registerErrorHandling } from './platform/errors.js';
import { registerHealth } from './platform/health.js';
import { requestLogger } from './platform/request-logger.js';
import { securityHeaders } from './platform/security-headers.js';
import { registerMetrics } from './platform/metrics.js';
import { limit } from './platform/rate-limit.js';
import { ErrorResponse } from './platform/schemas.js';
import { registerValidation } from './platform/validation.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import {
  createAuthService,
  type BaseCurrencyChangedHook,
  type UserCreatedHook,
} from './modules/auth/auth.service.js';
import { registerImports } from './modules/imports/imports.js';
import { registerData } from './modules/data/data.routes.js';
import { registerInvestments } from './modules/investments/investments.js';
import { registerMarket } from './modules/market/market.js';
import { budgetRoutes, createBudget } from './modules/budget/budget.js';
import { dayInZone } from '../common/dates.js';
import { creditBlocksRoutes } from './modules/obligations/credit-blocks.routes.js';
import { createCreditBlocksService } from './modules/obligations/credit-blocks.service.js';
import { obligationsRoutes } from './modules/obligations/obligations.routes.js';
import { createObligationsService } from './modules/obligations/obligations.service.js';
import { netWorthRoutes } from './modules/networth/networth.routes.js';
import type { TransactionsCreatedHook } from './modules/budget/transactions.service.js';
import { isWorkingDay } from '../common/calendar/index.js';
import { createSchedulesService } from './modules/schedules/schedules.service.js';
import { createOutlookService } from './modules/schedules/outlook.service.js';
import { createPostingJob } from './modules/schedules/posting.js';
import { schedulesRoutes } from './modules/schedules/schedules.routes.js';
import { createNetWorthService } from './modules/networth/networth.service.js';
import { createNetWorthHistory } from './modules/networth/networth-history.service.js';
import type { HistoryChangedHook } from './modules/networth/history-changed.js';
import { createCbrClient } from './modules/fx/cbr.js';
import { fxRoutes } from './modules/fx/fx.routes.js';
import { createFxService } from './modules/fx/fx.service.js';

/** Answers smaller than this are sent uncompressed. */
export const COMPRESS_THRESHOLD_BYTES = 4096;

/**
 * Response serializers, one per distinct schema: Fastify compiles one per route and status, and
 * most of those are the same error shape (6 per route), which made start-up compile it hundreds of
 * times.
 */
function sharedSerializers(...args: Parameters<ReturnType<typeof SerializerSelector>>) {
  const compile = SerializerSelector()(...args);
  const compiled = new Map<string, ReturnType<typeof compile>>();
  const serializerOf = (route: Parameters<typeof compile>[0]) => {
    const key = JSON.stringify(route.schema);
    let serializer = compiled.get(key);
    if (serializer === undefined) {
      serializer = compile(route);
      compiled.set(key, serializer);
    }
    return serializer;
  };
  // Compiled on a route's first answer, not at start-up (a restart compiled every route's).
  return (route: Parameters<typeof compile>[0]) => {
    let serializer: ReturnType<typeof compile> | undefined;
    return (data: unknown) => {
      serializer ??= serializerOf(route);
      return serializer(data);
    };
  };
}

export async function buildApp(deps: AppDeps): Promise<AppInstance> {
  const { config, cache } = deps;
  const security = securityHeaders(config);
  const app = Fastify({
    frameworkErrors: frameworkErrors(security),
    loggerInstance: deps.logger,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy.length > 0 ? config.trustProxy : false,
    requestIdHeader: false,
    genReqId: () => crypto.randomUUID(),
    childLoggerFactory: requestLogger,
    routerOptions: { ignoreTrailingSlash: true },
    // Response schemas use our string formats too; the serializer only needs to know they exist.
    serializerOpts: { ajv: { formats: { money: true, decimal: true, month: true, currency: true } } },
    schemaController: { compilersFactory: { buildSerializer: sharedSerializers } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('deps', deps);
  app.decorateRequest('auth', null as unknown as FastifyRequest['auth']);
  app.addHook('onRequest', (request, reply, done) => {
    void reply.headers(security).header('x-request-id', request.id);
    done();
  });

  registerValidation(app);
  registerErrorHandling(app);
  app.addSchema(ErrorResponse);

  // Large answers (lists, reports, the OpenAPI document) travel compressed; the many small ones are
  // sent as they are: below a few kilobytes compressing costs more time than the bytes it saves.
  // Brotli at quality 4, as fast as gzip; the built pages come compressed from the build instead.
  await app.register(fastifyCompress, {
    encodings: ['br', 'gzip'],
    threshold: COMPRESS_THRESHOLD_BYTES,
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } },
  });
  await app.register(fastifyCookie);
  // Without allowed origins every cross-origin request is refused anyway: no hook on every request.
  if (config.allowedOrigins.length > 0) {
    await app.register(fastifyCors, {
      origin: config.allowedOrigins,
      credentials: true,
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    });
  }
  await app.register(fastifyJwt, {
    secret: config.secretKey,
    sign: { algorithm: 'HS256', expiresIn: `${config.accessTokenMinutes}m` },
    verify: { algorithms: ['HS256'], requiredClaims: ['exp', 'sub', 'sid'] },
  });

  await app.register(fastifySwagger, {
    openapi: {
      // 3.1: the schemas are JSON Schema 2020-12 (type arrays for null, examples arrays).
      openapi: '3.1.0',
      info: { title: 'WealthTracker API', version: '1', description: 'Portfolio, budget and obligations.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    refResolver: {
      buildLocalReference: (json, _base, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true });

  const onUserCreated: UserCreatedHook[] = [];
  const onBaseCurrencyChanged: BaseCurrencyChangedHook[] = [];
  const auth = createAuthService({
    db: deps.database.db,
    config,
    signAccessToken: (claims) => app.jwt.sign(claims),
    onUserCreated,
    onBaseCurrencyChanged,
    now: deps.now,
  });

  async function verifiedClaims(request: FastifyRequest) {
    const header = request.headers.authorization;
    if (header === undefined || !/^Bearer\s+\S+$/i.test(header)) return undefined;
    let claims: { sub: string; sid: string };
    try {
      claims = await request.jwtVerify<{ sub: string; sid: string }>();
    } catch {
      return undefined;
    }
    // A failing session lookup (database down) propagates: it is a 503, not "no session".
    return (await auth.sessionUser(claims.sid, claims.sub)) ? claims : undefined;
  }

  app.decorate('optionalSession', async (request: FastifyRequest) => (await verifiedClaims(request))?.sid);

  const globalLimit = limit(cache, {
    name: 'global',
    max: config.rateLimit.globalPerMinute,
    windowMs: 60_000,
    key: (r) => r.ip,
  });
  // Every /api route needs a valid access token of a live session unless marked public.
  async function requireSession(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    await globalLimit(request, reply);
    if (request.routeOptions.config.public === true || request.routeOptions.url === undefined) return;
    const claims = await verifiedClaims(request);
    if (!claims)
      throw new AppError(401, 'UNAUTHORIZED', 'Log in first: missing, invalid or expired access token');
    request.auth = { userId: claims.sub, sessionId: claims.sid };
  }
  // A callback hook: the pages and health checks it skips cost no promise.
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.url.startsWith('/api/') || request.url.startsWith('/api/health/')) return done();
    requireSession(request, reply).then(() => done(), done);
  });

  await registerMetrics(app);
  registerHealth(app);
  authRoutes(app, auth);
  // Writes that change the net-worth history tell it from which day (filled once it exists).
  const onHistoryChanged: HistoryChangedHook[] = [];
  const fx = createFxService({
    db: deps.database.db,
    onHistoryChanged,
    cbr: createCbrClient({ baseUrl: config.cbr.url, timeoutMs: config.cbr.timeoutMs }),
    waitMs: config.cbr.waitMs,
    now: deps.now,
    logger: app.log,
    profile: (userId) => auth.profile(userId),
  });
  fxRoutes(app, fx);
  app.addHook('onReady', async () => fx.start());
  app.addHook('onClose', async () => fx.stop());
  const market = registerMarket(app, { auth });
  const investments = registerInvestments(app, {
    auth,
    onUserCreated,
    onBaseCurrencyChanged,
    fx,
    market,
  });
  const onTransactionsCreated: TransactionsCreatedHook[] = [];
  const budget = createBudget({
    db: deps.database.db,
    profile: (userId) => auth.profile(userId),
    now: deps.now,
    onTransactionsCreated,
    onHistoryChanged,
    fx,
  });
  onUserCreated.push((tx, userId, locale) => budget.categories.createDefaults(tx, userId, locale));
  budgetRoutes(app, budget);
  registerImports(app, {
    db: deps.database.db,
    budget,
    market,
    operations: investments.operations,
    profile: (userId) => auth.profile(userId),
    now: deps.now,
  });
  registerData(app, { db: deps.database.db, now: deps.now, onHistoryChanged });
  // Obligations: "today" (due, overdue, next payment) is the user's calendar day in their time zone.
  const userToday = async (userId: string) => dayInZone(deps.now(), (await auth.profile(userId)).timeZone);
  const creditBlocks = createCreditBlocksService({ db: deps.database.db, userToday, onHistoryChanged });
  creditBlocksRoutes(app, creditBlocks);
  const obligations = createObligationsService({
    db: deps.database.db,
    userToday,
    creditBlocks,
    isWorkingDay,
  });
  obligationsRoutes(app, obligations);
  const schedules = createSchedulesService({ db: deps.database.db, budget, userToday, isWorkingDay });
  onTransactionsCreated.push((tx, userId, created) => schedules.linkCreated(tx, userId, created));
  const outlook = createOutlookService({
    schedules,
    obligations,
    creditBlocks,
    budget,
    profile: (userId) => auth.profile(userId),
    userToday,
    calendar: (userId, range) => investments.calendar.calendar(userId, range),
    fx,
  });
  schedulesRoutes(app, schedules, outlook);
  const posting = createPostingJob({
    db: deps.database.db,
    cache,
    schedules,
    now: deps.now,
    isWorkingDay,
    logger: app.log,
  });
  app.decorate('schedulePosting', posting);
  if (config.schedulePosting) {
    app.addHook('onReady', async () => posting.start());
    app.addHook('onClose', async () => posting.stop());
  }
  const netWorthHistory = createNetWorthHistory({
    db: deps.database.db,
    accounts: budget.accounts,
    creditBlocks,
    results: investments.results,
    market,
    fx,
    now: deps.now,
  });
  onHistoryChanged.push(netWorthHistory.changed);
  netWorthRoutes(
    app,
    createNetWorthService({
      accounts: budget.accounts,
      obligations,
      fx,
      market,
      portfolios: investments.overview,
    }),
    netWorthHistory,
  );

  if (existsSync(config.webDir)) {
    await app.register(fastifyStatic, {
      root: config.webDir,
      // A list, not a string: the lookup of a precompressed index.html for `/` needs one.
      index: ['index.html'],
      wildcard: false,
      // The build writes .br and .gz beside every script, style and page: sent when accepted.
      preCompressed: true,
      setHeaders: (res, filePath) => {
        // Vite puts a content hash in asset names: they never change, pages always revalidate.
        void res.header(
          'cache-control',
          filePath.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }

  return app;
}
