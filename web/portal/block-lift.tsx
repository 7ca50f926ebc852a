import type { Me } from '../shared/api.js';
import { addressOf, nameOf } from '../shared/catalog-names.js';
import { t } from '../shared/i18n.js';

/** Who can lift a block early (rule 4): the head of the center of the last registration. */
export function BlockLift({ me }: { me: Me }) {
  const c = me.blockLiftCenter;
  if (!c) return <p>{t('portal.blockLiftNoCenter')}</p>;
  return (
    <p data-testid="block-lift">
      {t('portal.blockLiftAt')}{' '}
      <strong>
        {nameOf(c)}, {addressOf(c)}
      </strong>
      .
    </p>
  );
}
