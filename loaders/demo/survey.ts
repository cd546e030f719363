/**
 * Survey answers: some customers answer the questionnaire once or twice; each answer is the
 * person's latent position on the question's scale plus item noise, on a 1-5 Likert scale.
 */

import type {Scale} from "./archetypes.ts";
import {DAY} from "./calendar.ts";
import {atHour, HOURS} from "./activity.ts";
import {accountAt} from "./person.ts";
import type {Person} from "./person.ts";
import type {Random} from "./random.ts";

export interface Question {
  readonly id: string;
  readonly scale: Scale;
  readonly text: string;
}

/** Two questions per psychographic scale; ids are stable, wording is in survey_questions.csv. */
export const QUESTIONS: readonly Question[] = [
  {
    id: "q_price_matters",
    scale: "price",
    text: "Price is the most important thing when I decide where to buy."
  },
  {
    id: "q_wait_for_sale",
    scale: "price",
    text: "I often wait for a sale or a discount code before I buy."
  },
  {
    id: "q_self_service",
    scale: "self_service",
    text: "I prefer to sort out problems myself online rather than contact customer service."
  },
  {
    id: "q_app_first",
    scale: "self_service",
    text: "I would rather use the app or website than talk to a member of staff."
  },
  {
    id: "q_personal_contact",
    scale: "relationship",
    text: "I value having a personal contact who knows me."
  },
  {
    id: "q_stay_loyal",
    scale: "relationship",
    text: "I stay with a shop I trust, even when others are cheaper."
  },
  {
    id: "q_early_adopter",
    scale: "innovation",
    text: "I am usually among the first to try new products."
  },
  {
    id: "q_new_features",
    scale: "innovation",
    text: "I enjoy trying new features in apps and websites."
  },
  {
    id: "q_sustainable_choice",
    scale: "sustainability",
    text: "I pay more for products that are made sustainably."
  },
  {
    id: "q_less_packaging",
    scale: "sustainability",
    text: "I would accept a slower delivery to cut packaging and emissions."
  }
];

export interface SurveyAnswer {
  readonly answeredAt: number;
  readonly question: string;
  readonly answer: number;
  readonly account: 0 | 1;
}

const ITEM_NOISE = 0.65;
const SKIP_QUESTION = 0.04;
const SECOND_WAVE = 0.35;

function questionnaire(person: Person, random: Random, start: number, out: SurveyAnswer[]): void {
  const account = accountAt(person, start, random);
  let t = atHour(random, start, HOURS.online);
  for (const q of QUESTIONS) {
    t += random.int(4, 40);
    const answer = Math.min(
      5,
      Math.max(1, Math.round(3 + person.traits.survey[q.scale] + random.normal(0, ITEM_NOISE)))
    );
    if (!random.chance(SKIP_QUESTION)) out.push({answeredAt: t, question: q.id, answer, account});
  }
}

/** A person's survey answers up to `until`, in time order. */
export function personSurvey(person: Person, random: Random, until: number): SurveyAnswer[] {
  if (!person.traits.respondsToSurveys) return [];
  const answers: SurveyAnswer[] = [];
  const first = person.activeFrom + random.uniform(20, 520) * DAY;
  questionnaire(person, random, first, answers);
  if (random.chance(SECOND_WAVE))
    questionnaire(person, random, first + random.uniform(150, 500) * DAY, answers);
  return answers.filter((a) => a.answeredAt <= until);
}
