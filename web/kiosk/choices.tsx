import type { terminalTime } from '../../src/hall/terminal-api-schema.js';
import type { Answer, Service } from '../shared/api.js';
import { nameOf } from '../shared/catalog-names.js';
import { t } from '../shared/i18n.js';

/** The kiosk's large touch choices: services by group, today's times, priority categories. */

export type Category = 'disability' | 'disability_companion' | 'fallen_defender_family' | 'military';

/** One of today's free terminal times (the server's answer to `…/terminal/times`). */
export type FreeTime = Answer<typeof terminalTime>;

export const categories = (): Array<{ id: Category; title: string; doc: string }> => [
  {
    id: 'disability',
    title: t('kiosk.personDisabilityIncludingChild'),
    doc: t('kiosk.disabilityCertificate'),
  },
  {
    id: 'disability_companion',
    title: t('kiosk.companionPersonGroupI'),
    doc: t('kiosk.certificatePersonYouAccompany'),
  },
  {
    id: 'fallen_defender_family',
    title: t('kiosk.familyMemberFallenDefender'),
    doc: t('kiosk.familyMemberCertificate'),
  },
  { id: 'military', title: t('kiosk.servingMilitaryUnderMartial'), doc: t('kiosk.militaryId') },
];

/** Services under their group's heading, in the catalogue's order. */
function byGroup(services: readonly Service[]) {
  const groups = new Map<string, { name: string; services: Service[] }>();
  for (const s of services) {
    const g = groups.get(s.group) ?? { name: s.groupName, services: [] };
    g.services.push(s);
    groups.set(s.group, g);
  }
  return [...groups.entries()];
}

/** Every service on one screen, under its group's heading. */
export function ServiceList({
  services,
  onChoose,
}: {
  services: readonly Service[];
  onChoose: (s: Service) => void;
}) {
  return (
    <>
      {byGroup(services).map(([id, g]) => (
        <section key={id} className="k-group" aria-labelledby={`g-${id}`}>
          <h2 id={`g-${id}`}>{g.name}</h2>
          <div className="k-grid">
            {g.services.map((s) => (
              <button key={s.id} type="button" className="k-btn k-choice" onClick={() => onChoose(s)}>
                <span className="k-choice-title">{nameOf(s)}</span>
              </button>
            ))}
          </div>
        </section>
      ))}
    </>
  );
}

/** Today's free times as large buttons; "the nearest" (no callTime) is the default. */
export function TimeChoice({
  times,
  callTime,
  onChoose,
  label,
}: {
  times: FreeTime[];
  callTime: string | null;
  onChoose: (callTime: string | null) => void;
  label: (iso: string) => string;
}) {
  return (
    <div className="k-grid k-times" role="radiogroup" aria-label={t('kiosk.chooseTime')}>
      {/* biome-ignore lint/a11y/useSemanticElements: large touch options with radio semantics */}
      <button
        type="button"
        role="radio"
        aria-checked={callTime === null}
        className="k-btn k-choice k-time k-nearest"
        onClick={() => onChoose(null)}
      >
        <span className="k-choice-title">
          {t('kiosk.nearest')}: {label((times[0] as FreeTime).callTime)}
        </span>
      </button>
      {times.map((tm) => (
        // biome-ignore lint/a11y/useSemanticElements: large touch options with radio semantics
        <button
          key={tm.callTime}
          type="button"
          role="radio"
          aria-checked={callTime === tm.callTime}
          className="k-btn k-choice k-time"
          onClick={() => onChoose(tm.callTime)}
        >
          <span className="k-choice-title">{label(tm.callTime)}</span>
          <span className="k-choice-meta">{t('kiosk.placesFree', { free: tm.free })}</span>
        </button>
      ))}
    </div>
  );
}

/** Rule 5: the regular queue or one of the priority categories (with the document each needs). */
export function Categories({
  category,
  onChoose,
}: {
  category: Category | null;
  onChoose: (c: Category | null) => void;
}) {
  return (
    <div className="k-grid k-cats" role="radiogroup" aria-label={t('kiosk.category')}>
      {/* biome-ignore lint/a11y/useSemanticElements: large touch options with radio semantics */}
      <button
        type="button"
        role="radio"
        aria-checked={category === null}
        className="k-btn k-choice"
        onClick={() => onChoose(null)}
      >
        <span className="k-choice-title">{t('kiosk.regularQueue')}</span>
      </button>
      {categories().map((c) => (
        // biome-ignore lint/a11y/useSemanticElements: large touch options with radio semantics
        <button
          key={c.id}
          type="button"
          role="radio"
          aria-checked={category === c.id}
          className="k-btn k-choice"
          onClick={() => onChoose(c.id)}
        >
          <span className="k-choice-title">{c.title}</span>
          <span className="k-choice-meta">{c.doc}</span>
        </button>
      ))}
    </div>
  );
}

/** What each vehicle category is, as the licence names it (unknown ones show the letter alone). */
const CATEGORY_KEYS = {
  A1: 'kiosk.vehicleA1',
  A: 'kiosk.vehicleA',
  B1: 'kiosk.vehicleB1',
  B: 'kiosk.vehicleB',
  BE: 'kiosk.vehicleBE',
  C1: 'kiosk.vehicleC1',
  C1E: 'kiosk.vehicleC1E',
  C: 'kiosk.vehicleC',
  CE: 'kiosk.vehicleCE',
  D1: 'kiosk.vehicleD1',
  D1E: 'kiosk.vehicleD1E',
  D: 'kiosk.vehicleD',
  DE: 'kiosk.vehicleDE',
  T: 'kiosk.vehicleT',
} as const;

export const vehicleOf = (category: string): string | null => {
  const key = CATEGORY_KEYS[category as keyof typeof CATEGORY_KEYS] as
    | (typeof CATEGORY_KEYS)[keyof typeof CATEGORY_KEYS]
    | undefined;
  return key ? t(key) : null;
};

/**
 * SPEC §2 Exams: the vehicle categories of a practical exam that this center examines with its
 * own cars, as large buttons; a tap chooses one and moves on to the time.
 */
export function ExamCategories({
  categories,
  chosen,
  onChoose,
}: {
  categories: readonly string[];
  chosen: string | null;
  onChoose: (category: string) => void;
}) {
  return (
    <div className="k-grid k-exam-cats">
      {categories.map((c) => (
        <button
          key={c}
          type="button"
          className="k-btn k-choice"
          aria-pressed={chosen === c}
          onClick={() => onChoose(c)}
        >
          <span className="k-choice-title">{c}</span>
          {vehicleOf(c) ? <span className="k-choice-meta">{vehicleOf(c)}</span> : null}
        </button>
      ))}
    </div>
  );
}
