import type { CategoryKind } from './categories.schemas.js';

export interface DefaultGroup {
  kind: CategoryKind;
  name: string;
  color: string;
  children: string[];
}

const EN: Record<string, string> = {
  Продукты: 'Groceries',
  Супермаркеты: 'Supermarkets',
  Рынок: 'Market',
  Хозтовары: 'Household goods',
  'Кафе и рестораны': 'Cafés and restaurants',
  Кафе: 'Cafés',
  'Доставка еды': 'Food delivery',
  Кофе: 'Coffee',
  Жильё: 'Housing',
  Аренда: 'Rent',
  'Коммунальные платежи': 'Utilities',
  'Ремонт и обустройство': 'Repairs and furnishing',
  Транспорт: 'Transport',
  'Общественный транспорт': 'Public transport',
  Такси: 'Taxi',
  Автомобиль: 'Car',
  Топливо: 'Fuel',
  'Обслуживание и ремонт': 'Service and repairs',
  Страхование: 'Insurance',
  'Парковка и штрафы': 'Parking and fines',
  Здоровье: 'Health',
  Аптека: 'Pharmacy',
  'Врачи и анализы': 'Doctors and tests',
  Спорт: 'Sport',
  'Связь и подписки': 'Phone and subscriptions',
  'Мобильная связь': 'Mobile',
  Интернет: 'Internet',
  Подписки: 'Subscriptions',
  'Одежда и обувь': 'Clothes and shoes',
  'Развлечения и отдых': 'Leisure',
  Развлечения: 'Entertainment',
  Путешествия: 'Travel',
  Хобби: 'Hobbies',
  Образование: 'Education',
  Дети: 'Children',
  'Детский сад и школа': 'Kindergarten and school',
  'Игрушки и одежда': 'Toys and clothes',
  'Подарки и благотворительность': 'Gifts and charity',
  'Красота и уход': 'Beauty and care',
  'Домашние животные': 'Pets',
  'Кредиты и проценты': 'Loans and interest',
  'Налоги и сборы': 'Taxes and fees',
  'Прочие расходы': 'Other expenses',
  Работа: 'Work',
  Зарплата: 'Salary',
  Премия: 'Bonus',
  Подработка: 'Side jobs',
  Инвестиции: 'Investments',
  'Проценты по вкладам': 'Deposit interest',
  'Дивиденды и купоны': 'Dividends and coupons',
  Подарки: 'Gifts',
  'Кешбэк и возвраты': 'Cashback and refunds',
  'Прочие доходы': 'Other income',
};

/** What a new user starts with: groups and their categories, names unique per kind. */
const DEFAULT_CATEGORIES: readonly DefaultGroup[] = [
  { kind: 'expense', name: 'Продукты', color: '#43a047', children: ['Супермаркеты', 'Рынок', 'Хозтовары'] },
  { kind: 'expense', name: 'Кафе и рестораны', color: '#fb8c00', children: ['Кафе', 'Доставка еды', 'Кофе'] },
  {
    kind: 'expense',
    name: 'Жильё',
    color: '#6d4c41',
    children: ['Аренда', 'Коммунальные платежи', 'Ремонт и обустройство'],
  },
  { kind: 'expense', name: 'Транспорт', color: '#1e88e5', children: ['Общественный транспорт', 'Такси'] },
  {
    kind: 'expense',
    name: 'Автомобиль',
    color: '#546e7a',
    children: ['Топливо', 'Обслуживание и ремонт', 'Страхование', 'Парковка и штрафы'],
  },
  { kind: 'expense', name: 'Здоровье', color: '#e53935', children: ['Аптека', 'Врачи и анализы', 'Спорт'] },
  {
    kind: 'expense',
    name: 'Связь и подписки',
    color: '#00acc1',
    children: ['Мобильная связь', 'Интернет', 'Подписки'],
  },
  { kind: 'expense', name: 'Одежда и обувь', color: '#8e24aa', children: [] },
  {
    kind: 'expense',
    name: 'Развлечения и отдых',
    color: '#fdd835',
    children: ['Развлечения', 'Путешествия', 'Хобби'],
  },
  { kind: 'expense', name: 'Образование', color: '#3949ab', children: [] },
  { kind: 'expense', name: 'Дети', color: '#7cb342', children: ['Детский сад и школа', 'Игрушки и одежда'] },
  { kind: 'expense', name: 'Подарки и благотворительность', color: '#d81b60', children: [] },
  { kind: 'expense', name: 'Красота и уход', color: '#f06292', children: [] },
  { kind: 'expense', name: 'Домашние животные', color: '#a1887f', children: [] },
  { kind: 'expense', name: 'Кредиты и проценты', color: '#757575', children: [] },
  { kind: 'expense', name: 'Налоги и сборы', color: '#455a64', children: [] },
  { kind: 'expense', name: 'Прочие расходы', color: '#9e9e9e', children: [] },
  { kind: 'income', name: 'Работа', color: '#2e7d32', children: ['Зарплата', 'Премия', 'Подработка'] },
  {
    kind: 'income',
    name: 'Инвестиции',
    color: '#00897b',
    children: ['Проценты по вкладам', 'Дивиденды и купоны'],
  },
  { kind: 'income', name: 'Подарки', color: '#c0ca33', children: [] },
  { kind: 'income', name: 'Кешбэк и возвраты', color: '#26a69a', children: [] },
  { kind: 'income', name: 'Прочие доходы', color: '#78909c', children: [] },
];

/** The starter categories in the language the user registered in. */
export function defaultCategories(locale: 'ru' | 'en'): readonly DefaultGroup[] {
  if (locale === 'ru') return DEFAULT_CATEGORIES;
  const name = (ru: string) => EN[ru] ?? ru;
  return DEFAULT_CATEGORIES.map((g) => ({ ...g, name: name(g.name), children: g.children.map(name) }));
}
