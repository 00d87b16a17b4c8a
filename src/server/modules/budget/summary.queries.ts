import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '../../platform/db.js';
import {
  budgetAccountMonths as m,
  budgetAccounts as a,
  budgetCategories as c,
  budgetTransactions as t,
} from '../../db/schema.js';

// Report queries: every sum is SQL numeric, returned as text with 2 places; never a float.
const money = (expr: SQL) => sql`round(coalesce(${expr}, 0), 2)::text`;

/** Income and expense rows of the user in [from, toExclusive), with the account's currency. */
function flowsIn(userId: string, from: string, toExclusive: string, currency?: string): SQL {
  // The account's user is the transaction's: saying so lets the join read only the user's accounts.
  return sql`${t} join ${a} on ${a.id} = ${t.accountId} and ${a.userId} = ${userId}
    where ${t.userId} = ${userId} and ${t.date} >= ${from} and ${t.date} < ${toExclusive}
      and ${t.type} <> 'transfer'${currency === undefined ? sql`` : sql` and ${a.currency} = ${currency}`}`;
}

/**
 * Categories with a monthly limit and what was spent in them (sub-categories included). The month's
 * spending per category is computed once (materialized), not again for every limit.
 */
export async function limitUse(db: Db, userId: string, from: string, toExclusive: string, currency: string) {
  return rowsOf<{ id: string; name: string; color: string; limit: string; spent: string }>(
    db.execute(sql`with by_category as (
        select ${t.categoryId} as category_id, sum(${t.amount}) as amount
        from ${flowsIn(userId, from, toExclusive, currency)} and ${t.type} = 'expense' and ${t.categoryId} is not null
        group by ${t.categoryId}
      ), spent as materialized (
        select b.category_id, k.parent_id, b.amount from by_category b join ${c} k on k.id = b.category_id
      )
      select ${c.id} as id, ${c.name} as name, ${c.color} as color, ${c.monthlyLimit}::text as limit,
        ${money(sql`(select sum(s.amount) from spent s where s.category_id = ${c.id} or s.parent_id = ${c.id})`)} as spent
      from ${c}
      where ${c.userId} = ${userId} and ${c.deletedAt} is null and ${c.monthlyLimit} is not null
      order by ${c.name}`),
  );
}

export interface CategoryAmountRow {
  currency: string;
  type: 'income' | 'expense';
  categoryId: string | null;
  /** Set on the rows per day (their categoryId is null); null on the rows per category. */
  date: string | null;
  amount: string;
  /** How reports show the category and its group (null without a category, or a group). */
  name: string | null;
  color: string | null;
  parentId: string | null;
  groupName: string | null;
  groupColor: string | null;
}

/**
 * Income and expense per currency and category with the categories' labels, and with `byDay`,
 * in the same scan, per currency and calendar day (the stored day, never an instant's UTC date).
 */
export async function totalsByCategory(
  db: Db,
  userId: string,
  from: string,
  toExclusive: string,
  byDay = false,
) {
  const groups = byDay
    ? sql`grouping sets ((${a.currency}, ${t.type}, ${t.categoryId}), (${a.currency}, ${t.type}, ${t.date}))`
    : sql`${a.currency}, ${t.type}, ${t.categoryId}`;
  const day = byDay ? sql`case when grouping(${t.categoryId}) = 1 then ${t.date}::text end` : sql`null::text`;
  return rowsOf<CategoryAmountRow>(
    db.execute(sql`with sums as (
        select ${a.currency} as currency, ${t.type} as type, ${t.categoryId} as category_id, ${day} as date,
          sum(${t.amount}) as amount
        from ${flowsIn(userId, from, toExclusive)}
        group by ${groups}
      )
      select s.currency, s.type, s.category_id as "categoryId", s.date, ${money(sql`s.amount`)} as amount,
        k.name, k.color, k.parent_id as "parentId", g.name as "groupName", g.color as "groupColor"
      from sums s
      left join ${c} k on k.id = s.category_id
      left join ${c} g on g.id = k.parent_id`),
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

export interface ForeignFlowRow {
  date: string;
  currency: string;
  type: 'income' | 'expense';
  categoryId: string | null;
  parentId: string | null;
  amount: string;
}

/** Each income and expense in [from, toExclusive) on an account not in `base`: converted one by one. */
export async function foreignFlows(db: Db, userId: string, from: string, toExclusive: string, base: string) {
  return rowsOf<ForeignFlowRow>(
    db.execute(sql`select ${t.date}::text as date, ${a.currency} as currency, ${t.type} as type,
        ${t.categoryId} as "categoryId", k.parent_id as "parentId", ${t.amount}::text as amount
      from ${t} join ${a} on ${a.id} = ${t.accountId} and ${a.userId} = ${userId}
      left join ${c} k on k.id = ${t.categoryId}
      where ${t.userId} = ${userId} and ${t.date} >= ${from} and ${t.date} < ${toExclusive}
        and ${t.type} <> 'transfer' and ${a.currency} <> ${base}
      order by ${t.date}`),
  );
}
