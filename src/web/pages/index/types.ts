// Wire types of the investments and market APIs, taken from the server's schemas (types only).
import type { PortfolioDto, PositionDto } from '../../../server/modules/investments/portfolios.schemas.js';
import type { OperationDto } from '../../../server/modules/investments/operations.schemas.js';
import type { ManualPriceDto } from '../../../server/modules/investments/manual-prices.schemas.js';
import type {
  CandlesResponse,
  InstrumentDto,
  MarketStatus,
} from '../../../server/modules/market/market.schemas.js';

export type { CandlesResponse, InstrumentDto as Instrument, MarketStatus, OperationDto as Operation };
export type Position = PositionDto;
export type ManualPrice = ManualPriceDto;

export type AssetClass = 'shares' | 'bonds' | 'funds' | 'currencies' | 'other';
export const ASSET_CLASSES: AssetClass[] = ['shares', 'bonds', 'funds', 'currencies', 'other'];

// The schemas reference Totals, ValuedPortfolio and the allocation slices by $ref, which
// TypeBox's Static leaves open; these spell out the same fields.
export interface Totals {
  value: string;
  cost: string;
  unrealizedPnl: string;
  unrealizedPnlPercent: string | null;
  realizedPnl: string;
  income: string;
  taxes: string;
  fees: string;
  totalPnl: string;
  dayChange: string;
  dayChangePercent: string | null;
  byClass: Record<AssetClass, string>;
  byCurrency: { currency: string; value: string }[];
  incomplete: number;
}

export interface Slice {
  key: string;
  label: string;
  value: string;
  percent: string;
}

export type ValuedPortfolio = PortfolioDto & { totals: Totals; positions: Position[] };

export interface Overview {
  baseCurrency: string;
  marketData: MarketStatus;
  totals: Totals;
  allocation: { byClass: Slice[]; byTicker: Slice[]; byCurrency: Slice[] };
  missingRates: string[];
  portfolios: ValuedPortfolio[];
}

export interface OperationsPage {
  items: OperationDto[];
  total: number;
}

export interface CalendarEvent {
  date: string;
  type: 'coupon' | 'dividend' | 'amortization' | 'maturity';
  instrumentUid: string;
  ticker: string;
  name: string;
  currency: string;
  perPiece: string | null;
  quantity: string;
  expectedAmount: string | null;
  status: string;
}

export interface BrokerAccount {
  id: string;
  name: string;
  type: string;
  status: string;
  portfolioId: string | null;
  lastSyncedAt: string | null;
}

export interface SyncDifference {
  kind: 'security' | 'cash';
  ticker: string;
  broker: string;
  ours: string;
  cause: string;
  details: string[];
}

export interface SyncResult {
  fetched: number;
  imported: number;
  alreadyImported: number;
  skipped: number;
  reconciliation: { equal: boolean; checked: number; differences: SyncDifference[] } | null;
}
