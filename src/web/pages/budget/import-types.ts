// The import API's shapes, taken from the server's schemas (types only).
import type { Static } from 'typebox';
import type {
  BatchSummary,
  CsvMappingSchema,
  ImportPreview,
  ImportRow,
} from '../../../server/modules/imports/statements.schemas.js';

export type { ImportPreview, ImportRow };
export type {
  PresetDto as ImportPreset,
  RuleDto as ImportRule,
} from '../../../server/modules/imports/rules.schemas.js';
export type CsvMapping = Static<typeof CsvMappingSchema>;
export type ImportBatch = Static<typeof BatchSummary>;

/** A problem of a file as the API lists it. */
export interface FileProblem {
  line: number;
  column: string | null;
  code: string;
  value?: string;
}
