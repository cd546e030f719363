/**
 * Rows of the event tables for one account: values formatted as the CSV files write them,
 * with each row's planted defect applied and described.
 */

import {formatTimestamp, PAD2} from "./calendar.ts";
import {futureTimestamp, malformedTimestamp, nonNumericAmount} from "./dirt.ts";
import type {DefectKind, RowDefect} from "./dirt.ts";
import type {EmailEvent} from "./email.ts";
import type {Order} from "./orders.ts";
import type {Person} from "./person.ts";
import {customerId} from "./population.ts";
import type {Session} from "./sessions.ts";
import type {SurveyAnswer} from "./survey.ts";
import type {Ticket} from "./tickets.ts";

/** A planted defect in one cell of a row. */
export interface Cell {
  readonly column: string;
  readonly kind: DefectKind;
}

/** One output row, the cell defect planted in it, and whether it is written twice. */
export interface Planted {
  readonly fields: string[];
  readonly cell: Cell | null;
  readonly duplicate: RowDefect | null;
}

function money(cents: number): string {
  return `${Math.floor(cents / 100)}.${PAD2[cents % 100]}`;
}

/** The orders.csv rows of one account, with the defects each order drew. */
export function orderRows(
  orders: readonly Order[],
  person: Person,
  which: 0 | 1,
  id: string,
  unknownBase: number
): Planted[] {
  const rows: Planted[] = [];
  orders.forEach((o, k) => {
    if (o.account !== which) return;
    const fields = [
      `O${String(person.slot + 1).padStart(7, "0")}${String(k + 1).padStart(4, "0")}`,
      id,
      formatTimestamp(o.orderedAt),
      money(o.amountCents),
      o.channel,
      o.category,
      String(o.quantity),
      money(o.discountCents),
      o.status
    ];
    let cell: Cell | null = null;
    const d = o.defect;
    switch (d?.name) {
      case "malformed_date":
        fields[2] = malformedTimestamp(o.orderedAt, d.u);
        cell = {column: "ordered_at", kind: "malformed_date"};
        break;
      case "missing_date":
        fields[2] = "";
        cell = {column: "ordered_at", kind: "missing_value"};
        break;
      case "future_date":
        fields[2] = futureTimestamp(o.orderedAt);
        cell = {column: "ordered_at", kind: "future_date"};
        break;
      case "negative_amount":
        fields[3] = `-${fields[3]}`;
        cell = {column: "amount", kind: "negative_amount"};
        break;
      case "non_numeric_amount":
        fields[3] = nonNumericAmount(fields[3], d.u);
        cell = {column: "amount", kind: "non_numeric_amount"};
        break;
      case "missing_amount":
        fields[3] = "";
        cell = {column: "amount", kind: "missing_value"};
        break;
      case "unknown_customer":
        // Above every id any end date can reach, so the id never exists.
        fields[1] = customerId(unknownBase + Math.floor(d.u * unknownBase));
        cell = {column: "customer_id", kind: "unknown_customer"};
        break;
    }
    rows.push({fields, cell, duplicate: d?.name === "duplicate_row" ? d : null});
  });
  return rows;
}

/** The tickets.csv rows of one account; tickets resolved after the end date are still open. */
export function ticketRows(
  tickets: readonly Ticket[],
  person: Person,
  which: 0 | 1,
  id: string,
  endS: number
): Planted[] {
  const rows: Planted[] = [];
  tickets.forEach((t, k) => {
    if (t.account !== which) return;
    // The export knows only what happened by its end date: later resolutions are still open.
    const resolved = t.resolvedAt <= endS;
    const fields = [
      `T${String(person.slot + 1).padStart(7, "0")}${String(k + 1).padStart(3, "0")}`,
      id,
      formatTimestamp(t.openedAt),
      resolved ? formatTimestamp(t.resolvedAt) : "",
      t.topic,
      t.channel,
      t.priority,
      resolved && t.satisfaction !== null ? String(t.satisfaction) : ""
    ];
    let cell: Cell | null = null;
    if (t.defect?.name === "malformed_date") {
      fields[2] = malformedTimestamp(t.openedAt, t.defect.u);
      cell = {column: "opened_at", kind: "malformed_date"};
    }
    rows.push({fields, cell, duplicate: t.defect?.name === "duplicate_row" ? t.defect : null});
  });
  return rows;
}

/** The email_events.csv rows of one account. */
export function emailRows(events: readonly EmailEvent[], which: 0 | 1, id: string): Planted[] {
  return events
    .filter((e) => e.account === which)
    .map((e) => ({
      fields: [id, formatTimestamp(e.at), e.event, e.campaign],
      cell: null,
      duplicate: e.defect?.name === "duplicate_row" ? e.defect : null
    }));
}

/** The web_sessions.csv rows of one account. */
export function sessionRows(sessions: readonly Session[], which: 0 | 1, id: string): Planted[] {
  return sessions
    .filter((s) => s.account === which)
    .map((s) => ({
      fields: [
        id,
        formatTimestamp(s.startedAt),
        String(s.durationS),
        String(s.pages),
        s.device,
        s.source
      ],
      cell: null,
      duplicate: null
    }));
}

/** The survey_responses.csv rows of one account. */
export function surveyRows(answers: readonly SurveyAnswer[], which: 0 | 1, id: string): Planted[] {
  return answers
    .filter((a) => a.account === which)
    .map((a) => ({
      fields: [id, a.question, String(a.answer), formatTimestamp(a.answeredAt)],
      cell: null,
      duplicate: null
    }));
}
