import type { OperationType } from '../investments/valuation.js';
import type { DateFormat, DecimalMark } from './values.js';

/** Which header holds what in an activities CSV. */
export interface ActivityColumns {
  date: string;
  type: string;
  /** Ticker or ISIN. */
  symbol?: string | undefined;
  quantity?: string | undefined;
  price?: string | undefined;
  /** The operation's total; when absent, quantity × price. */
  amount?: string | undefined;
  fee?: string | undefined;
  /** Bonds: accrued interest (НКД) paid or received. */
  accruedInterest?: string | undefined;
  /** Bonds: the nominal the price is a percentage of. */
  nominal?: string | undefined;
  currency?: string | undefined;
  note?: string | undefined;
}

export interface ActivityMapping {
  columns: ActivityColumns;
  dateFormat: DateFormat;
  decimal: DecimalMark;
}

/** How a built-in export reads beyond its columns. */
export interface ActivityPreset {
  id: 'ghostfolio' | 'intelinvest' | 'snowball';
  /** Headers that must all be there (compared case-insensitively). */
  header: string[];
  mapping: ActivityMapping;
  /** The file's type words; null: known, but nothing this app records (the line is a problem). */
  types: Record<string, OperationType | null>;
  /** Types whose price is a percentage of the nominal column. */
  percentOfNominal?: string[];
  /** The accrued-interest column is per piece (else the trade's total). */
  accruedPerPiece?: boolean;
}

/**
 * Ghostfolio's activities export: JSON `{"activities": [...]}` or CSV with the same fields. A dividend
 * or interest is quantity × unitPrice; a fee activity carries its money in `fee`.
 */
export const GHOSTFOLIO: ActivityPreset = {
  id: 'ghostfolio',
  header: ['date', 'symbol', 'type', 'quantity', 'unitPrice'],
  mapping: {
    columns: {
      date: 'date',
      type: 'type',
      symbol: 'symbol',
      quantity: 'quantity',
      price: 'unitPrice',
      fee: 'fee',
      currency: 'currency',
      note: 'comment',
    },
    dateFormat: 'iso',
    decimal: 'dot',
  },
  types: {
    BUY: 'buy',
    SELL: 'sell',
    DIVIDEND: 'dividend',
    FEE: 'fee',
    INTEREST: 'income',
    LIABILITY: null,
    ITEM: null,
  },
};

/** Intelinvest's CSV for import and backup: pieces (not lots), bond prices in % of NOMINAL, NKD per bond. */
const INTELINVEST: ActivityPreset = {
  id: 'intelinvest',
  header: ['TYPE', 'DATE', 'TICKER', 'QUANTITY', 'PRICE', 'FEE', 'CURRENCY'],
  mapping: {
    columns: {
      date: 'DATE',
      type: 'TYPE',
      symbol: 'TICKER',
      quantity: 'QUANTITY',
      price: 'PRICE',
      fee: 'FEE',
      accruedInterest: 'NKD',
      nominal: 'NOMINAL',
      currency: 'CURRENCY',
      note: 'NOTE',
    },
    dateFormat: 'dd.mm.yyyy',
    decimal: 'auto',
  },
  types: {
    STOCKBUY: 'buy',
    STOCKSELL: 'sell',
    ASSET_BUY: 'buy',
    ASSET_SELL: 'sell',
    BONDBUY: 'buy',
    BONDSELL: 'sell',
    COUPON: 'coupon',
    AMORTIZATION: 'bond_redemption',
    REPAYMENT: 'bond_redemption',
    DIVIDEND: 'dividend',
    ASSET_DIVIDEND: 'dividend',
    MONEYDEPOSIT: 'deposit',
    MONEYWITHDRAW: 'withdrawal',
    INCOME: 'income',
    LOSS: 'fee',
    CURRENCY_BUY: null,
    CURRENCY_SELL: null,
  },
  percentOfNominal: ['BONDBUY', 'BONDSELL'],
  accruedPerPiece: true,
};

/** Snowball Income's CSV import: a dividend is Price per share × Quantity. */
const SNOWBALL: ActivityPreset = {
  id: 'snowball',
  header: ['Event', 'Date', 'Symbol', 'Price', 'Quantity', 'Currency'],
  mapping: {
    columns: {
      date: 'Date',
      type: 'Event',
      symbol: 'Symbol',
      quantity: 'Quantity',
      price: 'Price',
      fee: 'FeeTax',
      accruedInterest: 'NKD',
      currency: 'Currency',
      note: 'Note',
    },
    dateFormat: 'yyyy-mm-dd',
    decimal: 'auto',
  },
  types: {
    BUY: 'buy',
    SELL: 'sell',
    DIVIDEND: 'dividend',
    CASH_IN: 'deposit',
    CASH_OUT: 'withdrawal',
    CASH_GAIN: 'income',
    CASH_EXPENSE: 'fee',
    SPLIT: 'split',
    STOCK_AS_DIVIDEND: null,
    CASH_CONVERT: null,
  },
};

const ACTIVITY_PRESETS = [GHOSTFOLIO, INTELINVEST, SNOWBALL];

/** Type words of a mapped file: this app's own types, and the usual English and Russian ones. */
export const GENERIC_TYPES: Record<string, OperationType> = {
  BUY: 'buy',
  SELL: 'sell',
  DIVIDEND: 'dividend',
  COUPON: 'coupon',
  BOND_REDEMPTION: 'bond_redemption',
  REDEMPTION: 'bond_redemption',
  FEE: 'fee',
  COMMISSION: 'fee',
  TAX: 'tax',
  DEPOSIT: 'deposit',
  WITHDRAWAL: 'withdrawal',
  SPLIT: 'split',
  TRANSFER_IN: 'transfer_in',
  TRANSFER_OUT: 'transfer_out',
  INCOME: 'income',
  INTEREST: 'income',
  ПОКУПКА: 'buy',
  ПРОДАЖА: 'sell',
  ДИВИДЕНД: 'dividend',
  ДИВИДЕНДЫ: 'dividend',
  КУПОН: 'coupon',
  ПОГАШЕНИЕ: 'bond_redemption',
  КОМИССИЯ: 'fee',
  НАЛОГ: 'tax',
  ПОПОЛНЕНИЕ: 'deposit',
  ВЫВОД: 'withdrawal',
  СПЛИТ: 'split',
  ДОХОД: 'income',
};

/** The built-in preset whose header this is. */
export function guessActivityPreset(header: string[]): ActivityPreset | undefined {
  const names = new Set(header.map((h) => h.trim().toLowerCase()));
  return ACTIVITY_PRESETS.find((p) => p.header.every((h) => names.has(h.toLowerCase())));
}
