import type { AppInstance } from '../../platform/app-instance.js';
import type { Db } from '../../platform/db.js';
import type { Budget, Profile } from '../budget/budget.js';
import { presetsRoutes } from './presets.routes.js';
import { rulesRoutes } from './rules.routes.js';
import { createRulesService } from './rules.service.js';
import { statementsRoutes } from './statements.routes.js';
import { createStatementsService } from './statements.service.js';

/** Statement imports with their rules and presets. */
export function registerImports(
  app: AppInstance,
  deps: { db: Db; budget: Budget; profile: Profile; now: () => Date },
) {
  const rules = createRulesService(deps);
  const statements = createStatementsService({
    ...deps,
    rules: (userId) => rules.active(userId),
    preset: (userId, id) => rules.preset(userId, id),
  });
  statementsRoutes(app, statements);
  rulesRoutes(app, rules);
  presetsRoutes(app, rules);
}
