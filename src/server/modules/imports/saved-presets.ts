import type { Db } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Encoding } from './decoding.js';
import * as q from './rules.queries.js';

/** What a saved mapping holds besides its name: the mapping with the file's encoding and delimiter. */
export interface PresetSettings<M> {
  encoding?: Encoding | undefined;
  delimiter?: ';' | ',' | '\t' | undefined;
  mapping: M;
}

/** The user's saved mappings of one kind: listed, read for an upload, saved under a unique name. */
export function savedPresets<M>(db: Db, kind: q.PresetKind) {
  type Row = NonNullable<Awaited<ReturnType<typeof q.findPreset>>>;
  const toDto = (row: Row) => {
    const settings = row.settings as PresetSettings<M>;
    return {
      id: row.id,
      name: row.name,
      encoding: settings.encoding ?? null,
      delimiter: settings.delimiter ?? null,
      mapping: settings.mapping,
      createdAt: row.createdAt.toISOString(),
    };
  };
  return {
    list: async (userId: string) => (await q.listPresets(db, userId, kind)).map(toDto),

    async settings(userId: string, id: string): Promise<PresetSettings<M>> {
      const row = await q.findPreset(db, userId, id, kind);
      if (!row) throw notFound('Preset', 'IMPORT_PRESET_NOT_FOUND');
      return row.settings as PresetSettings<M>;
    },

    async create(userId: string, body: PresetSettings<M> & { name: string }) {
      const { name, ...settings } = body;
      const row = await q.insertPreset(db, { userId, name: name.trim(), kind, settings });
      if (!row)
        throw new AppError(409, 'IMPORT_PRESET_NAME_TAKEN', 'a preset has this name', {
          fields: [{ field: 'name' }],
        });
      return toDto(row);
    },
  };
}
