import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '../../platform/db.js';
import {
  budgetAccountMonths as m,
  budgetAccounts as a,
  budgetCategories as c,
  budgetCategoryMonths as cm,
  budgetTransactions as t,
} from '../../db/schema.js';
import { monthOnOrAfter, monthStart } from './period.js';

// Report queries: every sum is SQL numeric, returned as text with 2 places; never a float.
const money = (expr: SQL) => sql`round(coalesce(${expr}, 0), 2)::text`;

/** Income and expense rows of the user in [from, toExclusive), with the account's currency. */
function flowsIn(userId: string, from: string, toExclusive: string): SQL {
  // The account's user is the transaction's: saying so lets the join read only the user's accounts.
  return sql`${t} join ${a} on ${a.id} = ${t.accountId} and ${a.userId} = ${userId}
    where ${t.userId} = ${userId} and ${t.date} >= ${from} and ${t.date} < ${toExclusive}
      and ${t.type} <> 'transfer'`;
}

/**
 * Income and expense of the user per account, kind and category (null without one) in
 * [from, toExclusive), with the account's currency: whole months from the category months, the days
 * of a month cut by the period's ends from the transactions themselves. Rows are not summed yet.
 */
function categorySums(userId: string, from: string, toExclusive: string): SQL {
  const wholeFrom = monthOnOrAfter(from);
  const wholeTo = monthStart(toExclusive);
  const parts: SQL[] = [];
  const days = (dayFrom: string, dayTo: string) =>
    parts.push(sql`select ${t.accountId} as account_id, ${t.type} as type, ${t.categoryId} as category_id,
        ${t.amount} as amount, 1 as flows
      from ${t} where ${t.userId} = ${userId} and ${t.date} >= ${dayFrom} and ${t.date} < ${dayTo}
        and ${t.type} <> 'transfer'`);
  if (wholeFrom < wholeTo) {
    parts.push(sql`select ${cm.accountId}, ${cm.type}, ${cm.categoryId}, ${cm.amount}, ${cm.flows}
      from ${cm} where ${cm.userId} = ${userId} and ${cm.month} >= ${wholeFrom} and ${cm.month} < ${wholeTo}`);
    if (from < wholeFrom) days(from, wholeFrom);
    if (wholeTo < toExclusive) days(wholeTo, toExclusive);
  } else {
    days(from, toExclusive);
  }
  // The account's user is the sums': saying so lets the join read only the user's accounts.
  return sql`(select s.account_id, s.type, s.category_id, s.amount, s.flows, ${a.currency} as currency
    from (${sql.join(parts, sql` union all `)}) as s
    join ${a} on ${a.id} = s.account_id and ${a.userId} = ${userId}) as sums`;
}

/**
 * Categories with a monthly limit and what was spent in them (sub-categories included), from the
 * category months. The period's spending per category is computed once (materialized).
 */
export async function limitUse(db: Db, userId: string, from: string, toExclusive: string, currency: string) {
  return rowsOf<{ id: string; name: string; color: string; limit: string; spent: string }>(
    db.execute(sql`with by_category as (
        select sums.category_id, sum(sums.amount) as amount
        from ${categorySums(userId, from, toExclusive)}
        where sums.currency = ${currency} and sums.type = 'expense' and sums.category_id is not null
        group by sums.category_id
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
 * Income and expense per currency and category with the categories' labels (from the category
 * months), and with `byDay` also per currency and calendar day (the stored day, never an instant's
 * UTC date) from the period's transactions.
 */
export async function totalsByCategory(
  db: Db,
  userId: string,
  from: string,
  toExclusive: string,
  byDay = false,
) {
  const perDay = sql`union all
    select ${a.currency}, ${t.type}, null, ${t.date}::text, sum(${t.amount}), count(*)
    from ${flowsIn(userId, from, toExclusive)}
    group by ${a.currency}, ${t.type}, ${t.date}`;
  return rowsOf<CategoryAmountRow>(
    db.execute(sql`with totals as (
        select sums.currency, sums.type, sums.category_id, null::text as date, sum(sums.amount) as amount,
          sum(sums.flows) as flows
        from ${categorySums(userId, from, toExclusive)}
        group by sums.currency, sums.type, sums.category_id
        ${byDay ? perDay : sql``}
      )
      select s.currency, s.type, s.category_id as "categoryId", s.date, ${money(sql`s.amount`)} as amount,
        k.name, k.color, k.parent_id as "parentId", g.name as "groupName", g.color as "groupColor"
      from totals s
      left join ${c} k on k.id = s.category_id
      left join ${c} g on g.id = k.parent_id
      where s.flows > 0`),
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
