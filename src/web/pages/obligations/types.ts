// Wire types of the obligations API, taken from the server's schemas (types only).
import type { CreditBlockDto } from '../../../server/modules/obligations/credit-blocks.schemas.js';

export type {
  CreateBlockBody,
  CreditBlockDto as CreditBlock,
  CreditKind,
  EarlyRepaymentBody,
  EarlyRepaymentPreviewDto as EarlyRepaymentPreview,
  PreviewBody,
  ScheduleDto as Schedule,
} from '../../../server/modules/obligations/credit-blocks.schemas.js';
export type {
  CreateObligationBody,
  ObligationDto as Obligation,
  ObligationMonthDto as ObligationMonth,
  ObligationsSummaryDto as ObligationsSummary,
  PatchObligationBody,
} from '../../../server/modules/obligations/obligations.schemas.js';

export type PaymentShift = CreditBlockDto['paymentShift'];
export const PAYMENT_SHIFTS: readonly PaymentShift[] = ['next', 'previous', 'none'];
export const CREDIT_KINDS = ['mortgage', 'consumer', 'car', 'credit_card', 'private'] as const;
export const CURRENCIES = ['RUB', 'USD', 'EUR', 'CNY'] as const;
