import type { ReactNode } from 'react';
import { t } from '../shared/i18n.js';

/** SPEC §2 Exams: the vehicle categories of a practical exam as large toggle buttons. */
export function CategoryChoice({
  categories,
  chosen,
  onChoose,
  hint,
  children,
}: {
  categories: string[];
  chosen: string | null | undefined;
  onChoose: (category: string) => void;
  /** The line under the legend (why the category is asked here). */
  hint: string;
  children?: ReactNode;
}) {
  return (
    <fieldset className="exam-categories">
      <legend>{t('portal.examCategory')}</legend>
      <p className="muted small">{hint}</p>
      <div className="row wrap">
        {categories.map((c) => (
          <button
            key={c}
            type="button"
            className="choice category"
            aria-pressed={chosen === c}
            onClick={() => onChoose(c)}
          >
            {c}
          </button>
        ))}
      </div>
      {children}
    </fieldset>
  );
}
