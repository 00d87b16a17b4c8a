import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '../../platform/db.js';
import {
  budgetAccountMonths as m,
  budgetAccounts as a,
  budgetCategories as c,
  budgetTransactions as t,
} from '../../db/schema.js';

// Report queries: every sum is SQL numeric, returned as text with 2 places; never a float.
const money = (expr: SQL) => sql`coalesce(${expr}, 0)::numeric(20, 2)::text`;

/** Income and expense rows of the user in [from, toExclusive), with the account's currency. */
function flowsIn(userId: string, from: string, toExclusive: string, currency?: string): SQL {
  return sql`${t} join ${a} on ${a.id} = ${t.accountId}
    where ${t.userId} = ${userId} and ${t.date} >= ${from} and ${t.date} < ${toExclusive}
      and ${t.type} <> 'transfer'${currency === undefined ? sql`` : sql` and ${a.currency} = ${currency}`}`;
}

/** Categories with a monthly limit and what was spent in them (sub-categories included). */
export async function limitUse(db: Db, userId: string, from: string, toExclusive: string, currency: string) {
  return rowsOf<{ id: string; name: string; color: string; limit: string; spent: string }>(
    db.execute(sql`with spent as (
        select ${t.categoryId} as category_id, sum(${t.amount}) as amount
        from ${flowsIn(userId, from, toExclusive, currency)} and ${t.type} = 'expense' and ${t.categoryId} is not null
        group by ${t.categoryId}
      )
      select ${c.id} as id, ${c.name} as name, ${c.color} as color, ${c.monthlyLimit}::text as limit,
        ${money(sql`(select sum(s.amount) from spent s join ${c} k on k.id = s.category_id
          where k.id = ${c.id} or k.parent_id = ${c.id})`)} as spent
      from ${c}
      where ${c.userId} = ${userId} and ${c.deletedAt} is null and ${c.monthlyLimit} is not null
      order by ${c.name}`),
  );
}

export interface CategoryAmountRow {
  currency: string;
  type: 'income' | 'expense';
  categoryId: string | null;
  amount: string;
}

export async function totalsByCategory(db: Db, userId: string, from: string, toExclusive: string) {
  return rowsOf<CategoryAmountRow>(
    db.execute(sql`select ${a.currency} as currency, ${t.type} as type, ${t.categoryId} as "categoryId",
        ${money(sql`sum(${t.amount})`)} as amount
      from ${flowsIn(userId, from, toExclusive)}
      group by ${a.currency}, ${t.type}, ${t.categoryId}`),
  );
}

export interface CategoryDayRow extends CategoryAmountRow {
  /** Set on the rows per day (their categoryId is null); null on the rows per category. */
  date: string | null;
}

/**
 * In one scan: income and expense per currency and category, and per currency and calendar day
 * (the stored day, never an instant's UTC date).
 */
export async function totalsByCategoryAndDay(db: Db, userId: string, from: string, toExclusive: string) {
  return rowsOf<CategoryDayRow>(
    db.execute(sql`select ${a.currency} as currency, ${t.type} as type, ${t.categoryId} as "categoryId",
        case when grouping(${t.categoryId}) = 1 then ${t.date}::text end as date,
        ${money(sql`sum(${t.amount})`)} as amount
      from ${flowsIn(userId, from, toExclusive)}
      group by grouping sets ((${a.currency}, ${t.type}, ${t.categoryId}), (${a.currency}, ${t.type}, ${t.date}))`),
  );
}

/** Income and expense per currency and calendar month, from the account months. */
export async function totalsByMonth(
  db: Db,
  userId: string,
  fromMonth: string,
  toMonthExclusive: string,
  currency?: string,
) {
  return rowsOf<{ currency: string; month: string; income: string; expense: string }>(
    db.execute(sql`select ${a.currency} as currency, to_char(${m.month}, 'YYYY-MM') as month,
        ${money(sql`sum(${m.income})`)} as income, ${money(sql`sum(${m.expense})`)} as expense
      from ${m} join ${a} on ${a.id} = ${m.accountId}
      where ${m.userId} = ${userId} and ${m.month} >= ${fromMonth} and ${m.month} < ${toMonthExclusive}
        ${currency === undefined ? sql`` : sql`and ${a.currency} = ${currency}`}
      group by ${a.currency}, ${m.month}
      having sum(${m.income}) + sum(${m.expense}) > 0`),
  );
}
