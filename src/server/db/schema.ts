// Table definitions of every module; migrations/ must produce exactly this (checked by a test).
export * from './schema/users.js';
export * from './schema/budget.js';
export * from './schema/obligations.js';
export * from './schema/investments.js';
export * from './schema/networth.js';
export * from './schema/schedules.js';
export * from './schema/fx.js';
export * from './schema/imports.js';
export * from './schema/activity-imports.js';
export * from './schema/results.js';
