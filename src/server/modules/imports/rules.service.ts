import type { Db } from '../../platform/db.js';
import { notFound, validationFailed } from '../../platform/errors.js';
import type { Budget } from '../budget/budget.js';
import type { ImportRule } from './row-rules.js';
import * as q from './rules.queries.js';
import type {
  CreatePresetBody,
  CreateRuleBody,
  PresetDto,
  RuleDto,
  UpdateRuleBody,
} from './rules.schemas.js';
import { savedPresets, type PresetSettings } from './saved-presets.js';
import type { CsvMapping } from './statement-csv.js';

type RuleRow = Awaited<ReturnType<typeof q.listRules>>[number];

const toRuleDto = (row: RuleRow): RuleDto => ({
  id: row.id,
  field: row.field as RuleDto['field'],
  pattern: row.pattern,
  categoryId: row.categoryId,
  setDescription: row.setDescription,
  transferAccountId: row.transferAccountId,
  position: row.position,
  createdAt: row.createdAt.toISOString(),
});

const ruleNotFound = () => notFound('Rule', 'IMPORT_RULE_NOT_FOUND');

/** Import rules (what to do with matching rows) and saved CSV mappings. */
export function createRulesService({ db, budget }: { db: Db; budget: Budget }) {
  const presets = savedPresets<CsvMapping>(db, 'statements');

  /** A rule must do something, with the user's own category and account. */
  async function check(userId: string, rule: CreateRuleBody) {
    if (!rule.categoryId && !rule.setDescription && !rule.transferAccountId)
      throw validationFailed(
        'categoryId',
        'RULE_EMPTY',
        'a rule sets a category, a description or a transfer account',
      );
    if (rule.categoryId) {
      const category = await budget.categories.get(userId, rule.categoryId).catch(() => null);
      if (!category || category.deleted) throw validationFailed('categoryId', 'UNKNOWN', 'unknown category');
    }
    if (rule.transferAccountId) {
      await budget.accounts.get(userId, rule.transferAccountId).catch(() => {
        throw validationFailed('transferAccountId', 'UNKNOWN', 'unknown account');
      });
      if (rule.categoryId)
        throw validationFailed('categoryId', 'TRANSFER_HAS_NO_CATEGORY', 'a transfer has no category');
    }
    if (rule.field === 'mcc' && !/^\d{4}$/.test(rule.pattern.trim()))
      throw validationFailed('pattern', 'FORMAT', 'an MCC is 4 digits');
  }

  return {
    /** The user's rules in the order they apply (for the statement preview). */
    active: async (userId: string): Promise<ImportRule[]> =>
      (await q.listRules(db, userId)).map((r) => ({ ...r, field: r.field as ImportRule['field'] })),

    list: async (userId: string) => (await q.listRules(db, userId)).map(toRuleDto),

    async create(userId: string, body: CreateRuleBody): Promise<RuleDto> {
      await check(userId, body);
      return toRuleDto(await q.insertRule(db, { userId, ...body, pattern: body.pattern.trim() }));
    },

    async update(userId: string, id: string, body: UpdateRuleBody): Promise<RuleDto> {
      const current = (await q.listRules(db, userId)).find((r) => r.id === id);
      if (!current) throw ruleNotFound();
      const merged = { ...toRuleDto(current), ...body } as CreateRuleBody;
      await check(userId, merged);
      const row = await q.updateRule(db, userId, id, body);
      if (!row) throw ruleNotFound();
      return toRuleDto(row);
    },

    async remove(userId: string, id: string): Promise<void> {
      if (!(await q.deleteRule(db, userId, id))) throw ruleNotFound();
    },

    listPresets: (userId: string): Promise<PresetDto[]> => presets.list(userId),

    preset: (userId: string, id: string): Promise<PresetSettings<CsvMapping>> => presets.settings(userId, id),

    createPreset: (userId: string, body: CreatePresetBody): Promise<PresetDto> =>
      presets.create(userId, body),

    async removePreset(userId: string, id: string): Promise<void> {
      if (!(await q.deletePreset(db, userId, id))) throw notFound('Preset', 'IMPORT_PRESET_NOT_FOUND');
    },
  };
}

export type RulesService = ReturnType<typeof createRulesService>;
