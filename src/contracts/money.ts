/**
 * The one way an amount is written, on both sides: the engine's sentences and every page. Two
 * decimals under 100, whole above ("33.28", "1,235"), thousands separated, a true minus sign;
 * in the build's currency when the config names one ("€1,235", "R$33.28", "CHF 12.50"), else a
 * bare number. Pure: the platform's Intl only.
 */

/**
 * An amount ("€1,235"; "1,235" without a currency); "–" when there is none. `digits` fixes the
 * decimals (0, or 2 where the currency has cents) instead of cents under 100 only.
 */
export function formatMoney(
  x: number | null | undefined,
  currency?: string | null,
  digits?: 0 | 2
): string {
  if (x == null || !Number.isFinite(x)) return "–";
  // Cents under 100, where the currency has them (a yen has none).
  const minor = currency
    ? (new Intl.NumberFormat("en-US", {style: "currency", currency}).resolvedOptions()
        .maximumFractionDigits ?? 2)
    : 2;
  const decimals = Math.min(minor, digits ?? (Math.abs(x) < 100 ? 2 : 0));
  const text = new Intl.NumberFormat("en-US", {
    ...(currency ? {style: "currency", currency, currencyDisplay: "narrowSymbol"} : {}),
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals
  }).format(Math.abs(x));
  const zero = Number(text.replace(/[^0-9.]/g, "")) === 0;
  return `${x < 0 && !zero ? "−" : ""}${text}`;
}

/** How an axis or a heading names amounts: the currency's code, or "amount" without one. */
export function moneyUnit(currency?: string | null): string {
  return currency ?? "amount";
}

/**
 * An amount for a headline figure: in full below a million ("$1,161", "$845,210"), in millions
 * or billions above ("$23.3M"), so a tile stays one line; "–" when there is none.
 */
export function formatMoneyShort(x: number | null | undefined, currency?: string | null): string {
  if (x == null || !Number.isFinite(x)) return "–";
  if (Math.abs(x) < 1e6) return formatMoney(x, currency, 0);
  const text = new Intl.NumberFormat("en-US", {
    ...(currency ? {style: "currency", currency, currencyDisplay: "narrowSymbol"} : {}),
    notation: "compact",
    maximumFractionDigits: 1
  }).format(Math.abs(x));
  return `${x < 0 ? "−" : ""}${text}`;
}
