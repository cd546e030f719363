/**
 * The terms of art the pages use, each in a sentence a manager reads: the Overview lists them
 * under "Terms used", and a page that uses one links to its entry (`#term-<id>`). Pure.
 */
export interface Term {
  id: string;
  term: string;
  meaning: string;
}

export const GLOSSARY: readonly Term[] = [
  {
    id: "profile",
    term: "Profile",
    meaning:
      "A group of customers who behave alike on many measures at once, found in the data rather than defined in advance. Each customer belongs to one."
  },
  {
    id: "segment",
    term: "Segment",
    meaning:
      "A broad group on one or two measures you choose (country, channel, age band). Segments and profiles cut the same customers two ways."
  },
  {
    id: "at-risk",
    term: "At-risk flag",
    meaning:
      "A customer whose chance of buying nothing in the coming period (or, for subscriptions, of leaving) is above the threshold the backtest chose. The Method page says how well the flag did on past data."
  },
  {
    id: "p-alive",
    term: "P(alive)",
    meaning:
      "The chance that a customer still buys from you at all, judged from how often and how recently they bought. 100% means certainly still a customer."
  },
  {
    id: "expected-value",
    term: "Expected value, next 12 months",
    meaning:
      "What a customer is expected to spend in the coming year: expected purchases times expected spend per purchase, from models fitted to the purchase history."
  },
  {
    id: "backtest",
    term: "Backtest",
    meaning:
      "Checking a prediction on the data's own past: score customers as they stood some time ago, then compare with what they did next."
  },
  {
    id: "auc",
    term: "AUC",
    meaning:
      "How well a score ranks: the chance that a customer who lapsed was scored above one who did not. 0.5 is a coin toss, 1 is perfect."
  },
  {
    id: "bg-nbd",
    term: "BG/NBD, MBG/NBD, Pareto/NBD",
    meaning:
      "Standard models of repeat buying: each customer buys at their own pace until they quietly stop. They give P(alive) and expected purchases."
  },
  {
    id: "gamma-gamma",
    term: "Gamma-Gamma",
    meaning:
      "A model of spend per purchase that pulls a customer's own average towards everyone's, more so the fewer purchases they made."
  },
  {
    id: "psi",
    term: "PSI (population stability index)",
    meaning:
      "How much a measure's spread changed between two dates. Below 0.1 is little change; above 0.25 is a large shift worth a look."
  },
  {
    id: "silhouette",
    term: "Silhouette",
    meaning:
      "How clearly customers sit in their own profile rather than the nearest other one, from −1 to 1. Above 0.5 the groups are well separated; from 0.25 to 0.5 they are real but overlap; below 0.25 the structure is weak."
  },
  {
    id: "stability",
    term: "Stability",
    meaning:
      "How often a profile is found again when the data are resampled, from 0 to 1. Above 0.75 means it is a robust group, not an accident of the sample."
  },
  {
    id: "hedges-g",
    term: "Effect size (Hedges' g)",
    meaning:
      "How far a profile's average sits from everyone's, in standard deviations. 0.2 is small, 0.5 medium, 0.8 large."
  },
  {
    id: "drift",
    term: "Drift",
    meaning:
      "A profile changing between snapshots: its members' averages moving, or a measure's spread shifting (PSI). An alert says a change passed its threshold."
  }
];
