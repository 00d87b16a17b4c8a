import { monthOffset, random } from './household.js';

/**
 * The household both apps load for the side-by-side run: 40 000 incomes and expenses on three
 * accounts and 30 categories over three years, amounts in kopecks. Deterministic.
 */
export const PEER = { accounts: 3, categories: 30, transactions: 40_000, firstMonth: '2023-11', months: 36 };

export interface PeerTransaction {
  date: string;
  account: number;
  /** Index into `categories`. */
  category: number;
  /** Kopecks, positive; incomes and expenses by the category's kind. */
  kopecks: number;
  payee: string;
}

export interface PeerHousehold {
  accounts: { name: string; openingKopecks: number }[];
  categories: { name: string; group: string; income: boolean }[];
  transactions: PeerTransaction[];
}

const PAYEES = [
  'Пятёрочка',
  'Перекрёсток',
  'ВкусВилл',
  'Яндекс Такси',
  'Аптека',
  'Озон',
  'Wildberries',
  'МТС',
];

export function peerHousehold(): PeerHousehold {
  const next = random(11);
  const accounts = [
    { name: 'Карта', openingKopecks: 8_500_000 },
    { name: 'Кредитная карта', openingKopecks: 0 },
    { name: 'Наличные', openingKopecks: 1_200_000 },
  ];
  const categories = Array.from({ length: PEER.categories }, (_, i) => {
    const income = i < 3;
    return {
      name: `${income ? 'Доход' : 'Расход'} ${i + 1}`,
      group: income ? 'Доходы' : `Группа ${i % 5}`,
      income,
    };
  });
  const transactions: PeerTransaction[] = [];
  const perMonth = PEER.transactions / PEER.months;
  for (let m = 0; m < PEER.months; m++) {
    const month = monthOffset(PEER.firstMonth, m);
    const [y, mm] = month.split('-').map(Number) as [number, number];
    const days = new Date(Date.UTC(y, mm, 0)).getUTCDate();
    for (let i = 0; i < perMonth && transactions.length < PEER.transactions; i++) {
      const date = `${month}-${String(1 + Math.floor(next() * days)).padStart(2, '0')}`;
      const income = next() < 0.05;
      transactions.push({
        date,
        account: income ? 0 : Math.floor(next() * 3),
        category: income ? Math.floor(next() * 3) : 3 + Math.floor(next() * (PEER.categories - 3)),
        kopecks: income
          ? 2_000_000 + Math.floor(next() * 12_000_000)
          : 5_000 + Math.floor(next() ** 3 * 1_500_000),
        payee: PAYEES[Math.floor(next() * PAYEES.length)]!,
      });
    }
  }
  return { accounts, categories, transactions };
}
