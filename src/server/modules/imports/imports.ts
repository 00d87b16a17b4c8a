import type { AppInstance } from '../../platform/app-instance.js';
import type { Db } from '../../platform/db.js';
import type { Budget, Profile } from '../budget/budget.js';
import type { OperationsService } from '../investments/operations.service.js';
import type { Market } from '../market/market.js';
import { activitiesRoutes } from './activities.routes.js';
import { createActivityEdits } from './activity-edits.js';
import { createActivitiesService } from './activities.service.js';
import { presetsRoutes } from './presets.routes.js';
import { rulesRoutes } from './rules.routes.js';
import { createRulesService } from './rules.service.js';
import { statementsRoutes } from './statements.routes.js';
import { createStatementsService } from './statements.service.js';

/** Statement imports with their rules and presets; investment activities imports. */
export function registerImports(
  app: AppInstance,
  deps: {
    db: Db;
    budget: Budget;
    profile: Profile;
    market: Market;
    operations: OperationsService;
    now: () => Date;
  },
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
  const activities = createActivitiesService(deps);
  activitiesRoutes(app, activities, createActivityEdits({ ...deps, activities }));
}
