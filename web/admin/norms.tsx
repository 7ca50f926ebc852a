import { useState } from 'react';
import type { normsSet, normView } from '../../src/capacity/capacity-api-schema.js';
import type { centerExamCarsView } from '../../src/catalog/catalog-api-schema.js';
import { type Answer, api } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { ErrorNote, Loading, useLoad } from '../shared/ui.js';
import { roleName, useGroupNames } from './names.js';
import { useSave } from './save.js';
import { DataTable } from './table.js';

type Norm = Answer<typeof normView>;

const enc = encodeURIComponent;
const key = (n: Norm) => `${n.groupId}|${n.role}`;

/** A center's own norms (an empty field: the national norm applies) and its exam cars. */
export function NormsSection({ centerId }: { centerId: string }) {
  return (
    <>
      <NormsEditor
        url={`/api/v1/admin/centers/${enc(centerId)}/norms`}
        intro={t('admin.normHowManyOperations')}
        caption={t('admin.norms')}
        own
      />
      <ExamCarsCard centerId={centerId} />
    </>
  );
}

type ExamCars = Answer<typeof centerExamCarsView>;

/**
 * SPEC §2 and rule 8: the vehicle categories the center examines with its own cars, and how many
 * cars of each (a category's places a day: cars × the examiner norm). 0 = not examined here.
 */
function ExamCarsCard({ centerId }: { centerId: string }) {
  const url = `/api/v1/admin/centers/${enc(centerId)}/exam-categories`;
  const current = useLoad(() => api.get<ExamCars>(url), [url]);
  const [edit, setEdit] = useState<Record<string, string>>({});
  const save = useSave();
  const carsOf = (category: string) =>
    edit[category] ?? String(current.data?.cars.find((c) => c.category === category)?.cars ?? 0);
  return (
    <section className="card">
      <h2>{t('admin.examCars')}</h2>
      <p>{t('admin.examCarsIntro')}</p>
      {current.loading && !current.data ? <Loading /> : null}
      <ErrorNote error={current.error} onRetry={current.reload} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const cars = (current.data?.offered ?? [])
            .map((category) => ({ category, cars: Number(carsOf(category)) }))
            .filter((c) => c.cars > 0);
          void save
            .run(() => api.put<ExamCars>(url, { cars }), t('admin.examCarsSaved'))
            .then(() => {
              setEdit({});
              current.reload();
            });
        }}
      >
        <DataTable
          caption={t('admin.examCars')}
          rows={current.data?.offered}
          rowKey={(c) => c}
          columns={[
            { header: t('admin.examCategory'), cell: (c) => c },
            {
              header: t('admin.examCarsCount'),
              cell: (c) => (
                <input
                  type="number"
                  min={0}
                  max={50}
                  aria-label={t('admin.examCarsOf', { category: c })}
                  value={carsOf(c)}
                  onChange={(e) => setEdit({ ...edit, [c]: e.target.value })}
                />
              ),
            },
          ]}
        />
        <p>
          <button type="submit" className="button" disabled={save.busy || !current.data?.offered.length}>
            {t('admin.saveExamCars')}
          </button>
        </p>
      </form>
      {save.view}
    </section>
  );
}

/** The national norms every center uses unless it sets its own. */
export function NationalNormsSection() {
  return (
    <NormsEditor
      url="/api/v1/admin/norms"
      intro={t('admin.nationalNormsIntro')}
      caption={t('admin.nationalNorms')}
    />
  );
}

/**
 * Operations per staff member and day, per service group and role. `own`: a center's overrides
 * (the national norm as the placeholder; empty removes); else the national norms (empty keeps).
 */
function NormsEditor({
  url,
  intro,
  caption,
  own,
}: {
  url: string;
  intro: string;
  caption: string;
  own?: boolean;
}) {
  const norms = useLoad(() => api.get<Norm[]>(url), [url]);
  const groupName = useGroupNames();
  const [edit, setEdit] = useState<Record<string, string>>({});
  const save = useSave();
  const perDay = (n: Norm) => {
    const v = edit[key(n)];
    if (v === undefined) return n.perDay;
    if (v === '') return own ? null : n.perDay;
    return Number(v);
  };
  return (
    <section className="card">
      <p>{intro}</p>
      {norms.loading && !norms.data ? <Loading /> : null}
      <ErrorNote error={norms.error} onRetry={norms.reload} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const body = (norms.data ?? []).map((n) => ({
            groupId: n.groupId,
            role: n.role,
            perDay: perDay(n),
          }));
          void save
            .run(() => api.put<Answer<typeof normsSet>>(url, body), t('admin.normsSavedCapacityRegenerated'))
            .then(norms.reload);
        }}
      >
        <DataTable
          caption={caption}
          rows={norms.data}
          rowKey={key}
          columns={[
            { header: t('admin.serviceGroup'), cell: (n) => groupName(n.groupId) },
            { header: t('admin.role'), cell: (n) => roleName(n.role) },
            {
              header: t('admin.operationsDay'),
              cell: (n) => (
                <input
                  type="number"
                  min={1}
                  max={500}
                  aria-label={`${groupName(n.groupId)}, ${roleName(n.role)}`}
                  placeholder={own && n.national ? String(n.national) : undefined}
                  value={edit[key(n)] ?? (n.perDay === null ? '' : String(n.perDay))}
                  onChange={(e) => setEdit({ ...edit, [key(n)]: e.target.value })}
                />
              ),
            },
          ]}
        />
        <p>
          <button type="submit" className="button" disabled={save.busy || !norms.data?.length}>
            {t('admin.saveNorms')}
          </button>
        </p>
      </form>
      {save.view}
    </section>
  );
}
