import type { AppInstance } from '../../src/server/platform/app-instance.js';
import type { Client, Reply } from './budget.js';

/** windows-1251 bytes of a text: ASCII as is, Cyrillic at 0xC0–0xFF, Ё/ё and № at their places. */
export function cp1251(text: string): Buffer {
  const out = Buffer.alloc(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) out[i] = code;
    else if (code >= 0x410 && code <= 0x44f) out[i] = code - 0x410 + 0xc0;
    else if (code === 0x401) out[i] = 0xa8;
    else if (code === 0x451) out[i] = 0xb8;
    else if (code === 0x2116) out[i] = 0xb9;
    else throw new Error(`no windows-1251 byte for ${text[i]}`);
  }
  return out;
}

export const TBANK_HEADER =
  'Дата операции;Дата платежа;Номер карты;Статус;Сумма операции;Валюта операции;Сумма платежа;Валюта платежа;Кэшбэк;Категория;MCC;Описание;Бонусы (включая кэшбэк);Округление на инвесткопилку;Сумма операции с округлением';

export interface TbankOp {
  /** Moscow wall time, YYYY-MM-DD HH:MM:SS */
  at: string;
  status?: 'OK' | 'FAILED';
  /** Signed, decimal comma, e.g. "-450,00" */
  amount: string;
  currency?: string;
  /** What moved the card's balance, as T-Bank prints it: dot, trimmed fraction ("-950.0"). */
  payment?: string;
  category: string;
  mcc?: string;
  description: string;
}

const ru = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
/** T-Bank's "Сумма платежа": a dot, trailing zeros cut to one ("450000.0", "-4211.3"). */
const paymentOf = (amount: string) => {
  const [int, frac = '00'] = amount.split(',');
  const trimmed = frac.replace(/0+$/, '');
  return `${int}.${trimmed === '' ? '0' : trimmed}`;
};

/** One line of the T-Bank CSV export. */
export function tbankLine(op: TbankOp): string {
  const day = op.at.slice(0, 10);
  const abs = op.amount.replace('-', '');
  return [
    `${ru(day)} ${op.at.slice(11)}`,
    ru(day),
    '*2656',
    op.status ?? 'OK',
    op.amount,
    op.currency ?? 'RUB',
    op.payment ?? paymentOf(op.amount),
    'RUB',
    '',
    op.category,
    op.mcc ?? '',
    op.description,
    '0,00',
    '0,00',
    abs,
  ].join(';');
}

/** The operations of one month of a household's card, as the bank lists them. */
export function tbankMonth(month: string): TbankOp[] {
  const last = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
  return [
    {
      at: `${month}-03 10:15:00`,
      amount: '-450,00',
      category: 'Маркетплейсы',
      mcc: '5300.0',
      description: 'ОЗОН',
    },
    {
      at: `${month}-05 12:00:01`,
      amount: '-1234,56',
      category: 'Супермаркеты',
      mcc: '5411.0',
      description: 'Пятёрочка',
    },
    {
      at: `${month}-07 08:10:00`,
      amount: '-250,00',
      category: 'Рестораны',
      mcc: '5814.0',
      description: 'Кофе Хауз',
    },
    {
      at: `${month}-07 17:40:00`,
      amount: '-250,00',
      category: 'Рестораны',
      mcc: '5814.0',
      description: 'Кофе Хауз',
    },
    {
      at: `${month}-10 11:00:00`,
      status: 'FAILED',
      amount: '-999,00',
      category: 'Супермаркеты',
      mcc: '5411.0',
      description: 'Перекрёсток',
    },
    {
      at: `${month}-12 19:00:00`,
      amount: '-10,00',
      currency: 'USD',
      payment: '-950.0',
      category: 'Сервис',
      mcc: '5734.0',
      description: 'Steam',
    },
    { at: `${month}-15 09:00:00`, amount: '85000,00', category: 'Другое', description: 'ООО Ромашка' },
    {
      at: `${month}-${last} 21:30:00`,
      amount: '-300,00',
      category: 'Такси',
      mcc: '4121.0',
      description: 'Яндекс Go',
    },
  ];
}

/** A T-Bank export of whole months, newest first, in windows-1251. */
export function tbankCsv(months: string[]): Buffer {
  const ops = months.flatMap(tbankMonth).sort((a, b) => b.at.localeCompare(a.at));
  return cp1251(`${TBANK_HEADER}\n${ops.map(tbankLine).join('\n')}\n`);
}

/** Uploads a file for a preview. */
export async function uploadStatement(
  app: AppInstance,
  c: Client,
  accountId: string,
  body: Buffer | string,
  query: Record<string, string> = {},
  contentType = 'text/csv',
): Promise<Reply> {
  const res = await app.inject({
    method: 'POST',
    url: `/api/imports/statements?${new URLSearchParams({ accountId, ...query }).toString()}`,
    headers: { ...c.session.auth, 'content-type': contentType },
    payload: body,
  });
  return { status: res.statusCode, body: res.body === '' ? undefined : res.json() };
}
