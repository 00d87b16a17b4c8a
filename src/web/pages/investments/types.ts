// Wire types of the investments and market APIs, generated from the OpenAPI document.
import type { Answer, Schema } from '../../lib/api.js';

export type Instrument = Schema<'Instrument'>;
export type MarketStatus = Schema<'MarketStatus'>;
export type Operation = Schema<'Operation'>;
export type Position = Schema<'Position'>;
export type Totals = Schema<'Totals'>;
export type ValuedPortfolio = Schema<'ValuedPortfolio'>;
export type BrokerAccount = Schema<'BrokerAccount'>;
export type CandlesResponse = Answer<'/market/candles', 'get'>;
export type Overview = Answer<'/portfolio', 'get'>;
export type Slice = Overview['allocation']['byClass'][number];
export type CalendarEvent = Answer<'/portfolio/calendar', 'get'>['events'][number];
export type SyncResult = Answer<'/portfolios/sync', 'post'>;
export type ManualPrice = Answer<'/manual-assets/{id}/prices', 'get'>[number];

export type AssetClass = keyof Totals['byClass'];
export const ASSET_CLASSES: AssetClass[] = ['shares', 'bonds', 'funds', 'currencies', 'other'];
