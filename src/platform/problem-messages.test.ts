import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertCancellable, assertExamRetryAllowed, assertInHorizon } from '../booking/booking-rules.js';
import { detailInEnglish } from './problem-messages.js';
import { DomainError, toProblem } from './problems.js';

const ts = createRequire(import.meta.url)('typescript') as typeof import('typescript');
const SRC = resolve(import.meta.dirname, '..');
const CYRILLIC = /[а-яіїєґ]/i;

/** Every `detail: '…'` (or template) a rule gives, read from the source as written. */
function ruleDetailTexts(): Array<{ where: string; text: string }> {
  const found: Array<{ where: string; text: string }> = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts') && !path.endsWith('.test.ts')) scan(path);
    }
  };
  const scan = (path: string) => {
    const source = readFileSync(path, 'utf8');
    if (!source.includes('detail')) return;
    const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true);
    const visit = (node: import('typescript').Node) => {
      if (ts.isPropertyAssignment(node) && node.name.getText() === 'detail') {
        const v = node.initializer;
        const where = `${relative(SRC, path)}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        if (ts.isStringLiteral(v) || ts.isNoSubstitutionTemplateLiteral(v))
          found.push({ where, text: v.text });
        // A template's placeholders stand for numbers, days and names: a sample fills each.
        if (ts.isTemplateExpression(v))
          found.push({
            where,
            text: v.head.text + v.templateSpans.map((s) => `1${s.literal.text}`).join(''),
          });
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  };
  walk(SRC);
  return found;
}

describe('problem details in both languages, with the Policy’s numbers', () => {
  it('every Ukrainian detail a rule gives has its English', () => {
    const texts = ruleDetailTexts().filter((t) => CYRILLIC.test(t.text));
    expect(texts.length).toBeGreaterThan(30);
    const missing = texts.filter((t) => {
      const en = detailInEnglish(t.text);
      return !en || CYRILLIC.test(en);
    });
    expect(missing).toEqual([]);
  });

  it('an error with a specific detail answers it in English on request, in Ukrainian by default', () => {
    const e = new DomainError('NOT_FOUND', { detail: 'Сервісний центр не знайдено.' });
    expect(toProblem(e, 'uk').detail).toBe('Сервісний центр не знайдено.');
    expect(toProblem(e, 'en').detail).toBe('Service center not found.');
    const noShow = new DomainError('INVALID_STATE', {
      detail: 'Неявку фіксують лише для сьогоднішнього талона, викликаного щонайменше 2 рази.',
    });
    expect(toProblem(noShow, 'en').detail).toBe(
      'A no-show can be recorded only for today’s ticket called at least 2 times.',
    );
  });

  const detailOf = (run: () => void, lang: 'uk' | 'en') => {
    try {
      run();
    } catch (e) {
      return toProblem(e as DomainError, lang).detail;
    }
    throw new Error('the rule did not refuse');
  };

  it('rule 3: the cancel window in the message is the Policy’s, in hours with the right plural', () => {
    const startsAt = new Date('2026-12-08T10:00:00Z');
    const now = new Date('2026-12-08T09:30:00Z');
    const cancel = (minutes: number, lang: 'uk' | 'en') =>
      detailOf(() => assertCancellable(startsAt, now, { cancelBeforeMinutes: minutes }), lang);
    expect(cancel(60, 'uk')).toMatch(
      /^Скасувати запис можна не пізніше ніж за 1 годину до призначеного часу/,
    );
    expect(cancel(120, 'uk')).toMatch(/за 2 години до призначеного часу \(до 08\.12\.2026 10:00\)\.$/);
    expect(cancel(300, 'uk')).toMatch(/за 5 годин/);
    expect(cancel(120, 'en')).toMatch(
      /^A registration can be cancelled no later than 2 hours before its time/,
    );
    expect(cancel(60, 'en')).toMatch(/no later than 1 hour before/);
  });

  it('rule 8: the booking window in the message is the Policy’s days and the actual dates', () => {
    const now = new Date('2026-12-08T08:00:00Z');
    const outside = (horizonDays: number, lang: 'uk' | 'en') =>
      detailOf(() => assertInHorizon('2027-03-01', now, { horizonDays, releaseHour: 6 }), lang);
    expect(outside(21, 'uk')).toBe(
      'Онлайн-запис можливий лише на дні з 09.12.2026 до 29.12.2026 включно (на 21 день уперед).',
    );
    expect(outside(14, 'uk')).toMatch(/до 22\.12\.2026 включно \(на 14 днів уперед\)/);
    expect(outside(22, 'uk')).toMatch(/\(на 22 дні уперед\)/);
    expect(outside(21, 'en')).toBe(
      'Online booking is only possible for days from 09.12.2026 to 29.12.2026 (up to 21 days ahead).',
    );
  });

  it('rule 9: the exam retry wait in the message is the Policy’s', () => {
    const retry = (examRetryDays: number, lang: 'uk' | 'en') =>
      detailOf(() => assertExamRetryAllowed('2026-12-01', '2026-12-01', { examRetryDays }), lang);
    expect(retry(10, 'uk')).toBe(
      'Повторно записатися на іспит можна не раніше ніж через 10 днів після попереднього, з 11.12.2026.',
    );
    expect(retry(21, 'uk')).toMatch(/через 21 день/);
    expect(retry(3, 'uk')).toMatch(/через 3 дні/);
    expect(retry(1, 'en')).toMatch(/no earlier than 1 day after the previous one, from 02\.12\.2026/);
  });

  it('the catalogue itself carries no rule numbers (they come from the Policy)', async () => {
    const { problemCatalog } = await import('./problems.js');
    for (const code of ['CANCEL_TOO_LATE', 'OUT_OF_HORIZON', 'EXAM_RETRY_TOO_SOON'] as const) {
      expect(problemCatalog[code].uk).not.toMatch(/\d/);
      expect(problemCatalog[code].en).not.toMatch(/\d/);
    }
  });
});

describe('a refusal carries no stack trace; a fault keeps its own', () => {
  it('4xx domain errors capture no frames (they are answers, never logged with a stack)', () => {
    const refusal = new DomainError('SLOT_TAKEN');
    expect(refusal.stack?.split('\n')).toHaveLength(1);
    expect(refusal.message).toBe(toProblem(refusal).detail);
  });
  it('5xx domain errors keep their frames, and other errors are untouched', () => {
    expect(new DomainError('SERVICE_UNAVAILABLE').stack?.split('\n').length).toBeGreaterThan(1);
    expect(new Error('boom').stack?.split('\n').length).toBeGreaterThan(1);
  });
});
