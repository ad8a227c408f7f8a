// What a survey is made of, how a set of answers is checked against it, and how answers become the staff's
// aggregate: pure functions, no database. No figure leaves `aggregateResults` for a group under MIN_GROUP answers.
import { randomInt } from 'node:crypto';
import type { Lang, Text } from '../../platform/i18n.ts';

export type QuestionKind = 'single' | 'multiple' | 'scale' | 'text';
export const QUESTION_KINDS: readonly QuestionKind[] = ['single', 'multiple', 'scale', 'text'];

/** The scales staff may choose: 1–5 or 0–10. */
export const SCALES = { '1-5': { min: 1, max: 5 }, '0-10': { min: 0, max: 10 } } as const;
export type ScaleName = keyof typeof SCALES;

export interface SurveyOption {
  id: string;
  text: Text;
}

export interface SurveyQuestion {
  id: string;
  kind: QuestionKind;
  text: Text;
  /** For single and multiple choice. */
  options: SurveyOption[];
  /** For scales. */
  scale?: { min: number; max: number };
}

/** An answer as stored: an option id (single), option ids (multiple), a number (scale) or text. */
export type Answer = string | string[] | number;
export type Answers = Record<string, Answer>;

/** Fewer answers than this and no figure is shown at all (a survey or a question). */
export const MIN_GROUP = 5;
export const MAX_TEXT_ANSWER = 2000;

export const kindNames: Record<QuestionKind, Text> = {
  single: { en: 'Single choice', de: 'Einfachauswahl' },
  multiple: { en: 'Multiple choice', de: 'Mehrfachauswahl' },
  scale: { en: 'Scale', de: 'Skala' },
  text: { en: 'Free text', de: 'Freitext' },
};

export const textOf = (text: Text, lang: Lang): string => text[lang];

/** The form field of a question: `q-<question id>`. */
export const answerField = (questionId: string): string => `q-${questionId}`;

/**
 * Checks raw answers (a form's text fields, or the API's JSON) against the questions: single choice and scale
 * must be answered, multiple choice and free text may be left out. Answers the stored form and the problems by field.
 */
export function checkAnswers(
  questions: SurveyQuestion[],
  raw: Record<string, unknown>,
): { answers: Answers; problems: Record<string, Text> } {
  const answers: Answers = {};
  const problems: Record<string, Text> = {};
  for (const q of questions) {
    const field = answerField(q.id);
    const value = raw[field] ?? raw[q.id];
    const empty = value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
    if (empty) {
      if (q.kind === 'single' || q.kind === 'scale')
        problems[field] = { en: 'Please answer this question.', de: 'Bitte beantworten Sie diese Frage.' };
      continue;
    }
    if (q.kind === 'single') {
      if (typeof value !== 'string' || !q.options.some((o) => o.id === value))
        problems[field] = { en: 'Please choose one of the answers.', de: 'Bitte wählen Sie eine der Antworten.' };
      else answers[q.id] = value;
    } else if (q.kind === 'multiple') {
      const list = Array.isArray(value) ? value : [value];
      if (list.some((v) => typeof v !== 'string' || !q.options.some((o) => o.id === v)))
        problems[field] = {
          en: 'Please choose among the answers shown.',
          de: 'Bitte wählen Sie unter den gezeigten Antworten.',
        };
      else answers[q.id] = [...new Set(list as string[])];
    } else if (q.kind === 'scale') {
      const n =
        typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,2}$/.test(value) ? Number(value) : NaN;
      const { min, max } = q.scale ?? SCALES['1-5'];
      if (!Number.isInteger(n) || n < min || n > max)
        problems[field] = {
          en: `Please choose a value from ${min} to ${max}.`,
          de: `Bitte wählen Sie einen Wert von ${min} bis ${max}.`,
        };
      else answers[q.id] = n;
    } else {
      if (typeof value !== 'string')
        problems[field] = { en: 'Please answer in words.', de: 'Bitte antworten Sie in Worten.' };
      else if (value.length > MAX_TEXT_ANSWER)
        problems[field] = {
          en: `Please answer in at most ${MAX_TEXT_ANSWER} characters.`,
          de: `Bitte antworten Sie mit höchstens ${MAX_TEXT_ANSWER} Zeichen.`,
        };
      else if (value.trim() !== '') answers[q.id] = value.trim();
    }
  }
  return { answers, problems };
}

/** One bar of a question's result: an option or a scale value, how many chose it and their share. */
export interface ResultBar {
  label: Text;
  count: number;
  /** Of the people who answered the question, rounded to whole percent. */
  percent: number;
}

export type QuestionResult =
  | { question: SurveyQuestion; shown: false }
  | { question: SurveyQuestion; shown: true; answered: number; bars: ResultBar[]; average?: number; texts?: string[] };

export type SurveyResults = { shown: false } | { shown: true; responses: number; questions: QuestionResult[] };

const shuffled = <T>(items: T[]): T[] => {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
};

/**
 * The aggregate staff may see: per question the counts, shares and (for scales) the average; free text in random
 * order, without anything about who wrote it or when. Nothing at all for a survey, or a question, under MIN_GROUP.
 */
export function aggregateResults(questions: SurveyQuestion[], responses: Answers[]): SurveyResults {
  if (responses.length < MIN_GROUP) return { shown: false };
  return {
    shown: true,
    responses: responses.length,
    questions: questions.map((question): QuestionResult => {
      const given = responses.map((r) => r[question.id]).filter((a): a is Answer => a !== undefined);
      if (given.length < MIN_GROUP) return { question, shown: false };
      const share = (count: number) => Math.round((count / given.length) * 100);
      if (question.kind === 'text')
        return { question, shown: true, answered: given.length, bars: [], texts: shuffled(given.map(String)) };
      if (question.kind === 'scale') {
        const { min, max } = question.scale ?? SCALES['1-5'];
        const values = given.filter((v): v is number => typeof v === 'number');
        const bars: ResultBar[] = [];
        for (let v = min; v <= max; v++) {
          const count = values.filter((x) => x === v).length;
          bars.push({ label: { en: String(v), de: String(v) }, count, percent: share(count) });
        }
        const average = values.reduce((s, v) => s + v, 0) / values.length;
        return { question, shown: true, answered: given.length, bars, average: Math.round(average * 10) / 10 };
      }
      const chosen = given.flatMap((a) => (Array.isArray(a) ? a : [a]));
      const bars = question.options.map((o) => {
        const count = chosen.filter((c) => c === o.id).length;
        return { label: o.text, count, percent: share(count) };
      });
      return { question, shown: true, answered: given.length, bars };
    }),
  };
}
