import type { terminalTicket } from '../../src/hall/terminal-api-schema.js';
import type { Answer } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { formatTime } from '../shared/time.js';
import { vehicleOf } from './choices.js';

/** A kiosk registration's answer (SPEC §4), as the server's response schema says. */
export type Ticket = Answer<typeof terminalTicket>;

/** The ticket screen: number, expected call, the desks that serve it, people ahead, the e-mail. */
export function TicketView({ ticket, email }: { ticket: Ticket; email: string }) {
  return (
    <>
      <h1 id="k-title" tabIndex={-1}>
        {t('kiosk.number')}
      </h1>
      <p className="k-number" data-testid="ticket-number">
        {ticket.number}
      </p>
      {ticket.priority ? <p className="badge warn k-badge">{t('kiosk.priorityQueue')}</p> : null}
      {ticket.legalEntity ? (
        <p className="k-entity" data-testid="ticket-entity">
          {t('kiosk.forEntityTicket')}: <strong>{ticket.legalEntity.name}</strong>{' '}
          <span className="k-nowrap">
            ({t('kiosk.edrpouShort')} {ticket.legalEntity.edrpou})
          </span>
        </p>
      ) : null}
      {ticket.examCategory ? (
        <p className="k-entity" data-testid="ticket-category">
          {t('kiosk.categoryLetter', { category: ticket.examCategory })}
          {vehicleOf(ticket.examCategory) ? ` — ${vehicleOf(ticket.examCategory)}` : ''}
        </p>
      ) : null}
      <p className="k-calltime">
        {t('kiosk.expectedCallTime')}: <strong>{formatTime(ticket.estimatedCallTime)}</strong>
      </p>
      {ticket.desks.length ? (
        <p className="k-lead" data-testid="desks">
          {t('kiosk.desksServing', { desks: ticket.desks.join(', ') })}
        </p>
      ) : null}
      <p className="k-lead">{t('kiosk.peopleAheadNow', { count: ticket.peopleAhead })}</p>
      <p className="k-lead">
        {t('kiosk.ticketWasAlsoSent')} <strong>{ticket.emailSentTo || email}</strong>.{' '}
        {t('kiosk.watchBoardNumberAppears')}
      </p>
    </>
  );
}
