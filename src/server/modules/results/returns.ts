/**
 * Rates of return, pure. Money-weighted (XIRR) and time-weighted (TWR), as ratios (0.1 = 10 %).
 * Ratios are not money: they are computed in binary floating point; the amounts fed in are exact
 * decimals converted once.
 *
 * - XIRR: the rate r solving Σ CFᵢ / (1 + r)^(tᵢ / 365) = 0, tᵢ = days from the first flow
 *   (Actual/365, as spreadsheet XIRR). Newton's method from 10 %, bisection when it leaves the
 *   bracket; |NPV| < 1e-9 of the largest flow or a step below 1e-12 counts as converged.
 * - TWR: daily links with flows at the start of the day, rₜ = Vₜ / (Vₜ₋₁ + Fₜ) − 1, chained:
 *   Π(1 + rₜ) − 1. A day with nothing invested (Vₜ₋₁ + Fₜ ≤ 0) is no link.
 * - Annualised: (1 + cumulative)^(365 / days) − 1, only for periods of at least 365 days.
 */
import { addDays, daysBetween } from '../../../common/dates.js';
import type { ReturnFigures } from './results.schemas.js';

export interface Flow {
  day: string;
  /** Investor's view: money put in is negative, money taken out (and the final value) positive. */
  amount: number;
}

export type XirrResult =
  { ok: true; rate: number } | { ok: false; reason: 'NO_FLOWS' | 'ONE_SIGN' | 'NO_CONVERGENCE' };

const YEAR = 365;

function npv(flows: readonly { t: number; a: number }[], r: number): { f: number; df: number } {
  let f = 0;
  let df = 0;
  for (const { t, a } of flows) {
    const v = a * Math.pow(1 + r, -t);
    f += v;
    df += (-t * v) / (1 + r);
  }
  return { f, df };
}

export function xirr(input: readonly Flow[]): XirrResult {
  const flows = input.filter((f) => f.amount !== 0 && Number.isFinite(f.amount));
  if (flows.length < 2) return { ok: false, reason: 'NO_FLOWS' };
  if (!flows.some((f) => f.amount > 0) || !flows.some((f) => f.amount < 0))
    return { ok: false, reason: 'ONE_SIGN' };
  const first = flows.reduce((m, f) => (f.day < m ? f.day : m), flows[0]!.day);
  const ts = flows.map((f) => ({ t: daysBetween(first, f.day) / YEAR, a: f.amount }));
  const scale = Math.max(...ts.map((x) => Math.abs(x.a)));
  const tolerance = 1e-9 * scale;

  // A bracket [lo, hi] with a sign change, when there is one, keeps Newton honest.
  let lo = -0.999999999;
  let hi = 1e6;
  const fLo = npv(ts, lo).f;
  const fHi = npv(ts, hi).f;
  const bracketed = Number.isFinite(fLo) && Number.isFinite(fHi) && fLo * fHi < 0;

  let r = 0.1;
  for (let i = 0; i < 200; i++) {
    const { f, df } = npv(ts, r);
    if (!Number.isFinite(f)) break;
    if (Math.abs(f) < tolerance) {
      // Within a millionth of a kopeck per rouble of the flows the rate can still be off in its
      // sixth digit when the flows are weighted far from the start; one more step settles it.
      const polished = df !== 0 && Number.isFinite(df) ? r - f / df : r;
      return { ok: true, rate: Number.isFinite(polished) && polished > -1 ? polished : r };
    }
    if (bracketed) {
      if (f * fLo > 0) lo = r;
      else hi = r;
    }
    let next = df !== 0 && Number.isFinite(df) ? r - f / df : NaN;
    if (!Number.isFinite(next) || next <= -1 || (bracketed && (next <= lo || next >= hi))) {
      if (!bracketed) break;
      next = (lo + hi) / 2;
    }
    if (Math.abs(next - r) < 1e-12 * Math.max(1, Math.abs(r))) {
      const check = npv(ts, next).f;
      return Math.abs(check) < tolerance * 1e3
        ? { ok: true, rate: next }
        : { ok: false, reason: 'NO_CONVERGENCE' };
    }
    r = next;
  }
  if (bracketed) {
    // Plain bisection as the last resort.
    for (let i = 0; i < 300; i++) {
      const mid = (lo + hi) / 2;
      const f = npv(ts, mid).f;
      if (Math.abs(f) < tolerance || hi - lo < 1e-13) return { ok: true, rate: mid };
      if (f * fLo > 0) lo = mid;
      else hi = mid;
    }
  }
  return { ok: false, reason: 'NO_CONVERGENCE' };
}

export interface TwrDay {
  /** Value at the end of the day. */
  value: number;
  /** External flow into the portfolio during the day (negative: taken out). */
  flow: number;
}

/**
 * Time-weighted return over the days given; `startValue` is the value at the end of the day before
 * the first. Null when nothing was ever invested in the period.
 */
export function twr(startValue: number, days: readonly TwrDay[]): number | null {
  let prev = startValue;
  let growth = 1;
  let links = 0;
  for (const d of days) {
    const base = prev + d.flow;
    if (base > 0) {
      growth *= d.value / base;
      links++;
    }
    prev = d.value;
  }
  return links === 0 ? null : growth - 1;
}

/** Annualised from a cumulative return over `days`; null under a year (it would extrapolate). */
export function annualise(cumulative: number | null, days: number): number | null {
  if (cumulative === null || days < YEAR || cumulative <= -1) return null;
  return Math.pow(1 + cumulative, YEAR / days) - 1;
}

/** The cumulative return a yearly rate gives over `days`. */
export function cumulativeOf(rate: number, days: number): number {
  return Math.pow(1 + rate, days / YEAR) - 1;
}

/** A ratio as a decimal string of a percentage with `dp` places ("12.34"). */
export function percentText(ratio: number | null, dp = 2): string | null {
  if (ratio === null || !Number.isFinite(ratio)) return null;
  const text = (ratio * 100).toFixed(dp);
  return /^-0\.0+$/.test(text) ? text.slice(1) : text;
}

/**
 * The returns of a period from..to as the results show them: `startValue` is the value at the end
 * of the day before `from`, `days` the values and flows of the period's days (decimal strings).
 */
export function returnFigures(
  startValue: number,
  days: readonly { day: string; value: string; flow: string }[],
  from: string,
  to: string,
): ReturnFigures {
  const rows = days.map((d) => ({ day: d.day, value: Number(d.value), flow: Number(d.flow) }));
  const periodDays = daysBetween(addDays(from, -1), to);
  const t = twr(startValue, rows);
  const flows: Flow[] = [];
  if (startValue !== 0) flows.push({ day: from, amount: -startValue });
  for (const r of rows) if (r.flow !== 0) flows.push({ day: r.day, amount: -r.flow });
  const end = rows.at(-1);
  if (end !== undefined && end.value !== 0) flows.push({ day: to, amount: end.value });
  const x = xirr(flows);
  return {
    days: periodDays,
    twr: percentText(t),
    twrAnnualised: percentText(annualise(t, periodDays)),
    xirr: x.ok ? percentText(x.rate) : null,
    xirrCumulative: x.ok ? percentText(cumulativeOf(x.rate, daysBetween(flows[0]!.day, to))) : null,
    xirrProblem: x.ok ? null : x.reason,
  };
}
