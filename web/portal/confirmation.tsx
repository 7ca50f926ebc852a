import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { api, type MyBooking } from '../shared/api.js';
import { addressOf, documentsOf, nameOf } from '../shared/catalog-names.js';
import { t } from '../shared/i18n.js';
import { serverPolicy } from '../shared/server-time.js';
import { formatDateTime, formatTime, formatWeekdayLong } from '../shared/time.js';
import type { Booked } from './book.js';
import { link, type Navigate } from './nav.js';

function download(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function addToCalendar(b: Booked) {
  const { createEvent } = await import('ics');
  const start = new Date(b.startsAt ?? b.slot.startsAt);
  const end = new Date(b.slot.endsAt);
  const docs = documentsOf(b.service);
  const policy = serverPolicy();
  const { error, value } = createEvent({
    title: `${nameOf(b.service)} — ${nameOf(b.center)}`,
    description: [
      `${t('portal.ticket')}: ${b.number ?? ''}`,
      docs.length ? `${t('portal.bring')}: ${docs.join('; ')}` : '',
      policy ? t('portal.cancelNoLaterThan', { hours: policy.cancelBeforeMinutes / 60 }) : '',
    ]
      .filter(Boolean)
      .join('\n'),
    location: `${nameOf(b.center)}, ${addressOf(b.center)}`,
    start: start.getTime(),
    end: end.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    endInputType: 'utc',
    endOutputType: 'utc',
    uid: `${b.id}@e-zapys`,
    alarms: [
      {
        action: 'display',
        description: t('portal.serviceCenterVisit'),
        trigger: { hours: 2, before: true },
      },
    ],
  });
  if (error || !value) throw error ?? new Error('ics');
  download(`e-zapys-${b.number ?? b.id}.ics`, value, 'text/calendar;charset=utf-8');
}

export default function Confirmation({ booked, navigate }: { booked: Booked; navigate: Navigate }) {
  const [qr, setQr] = useState<string | null>(null);
  const [icsError, setIcsError] = useState(false);
  const startsAt = booked.startsAt ?? booked.slot.startsAt;

  useEffect(() => {
    if (booked.status !== 'booked') return;
    let live = true;
    // Rule 13: the QR is the signed arrival code the server gives in "my registrations" (the
    // kiosk's "У мене є запис" scans it); without one there is no QR rather than a code no
    // kiosk accepts.
    api
      .get<MyBooking[]>('/api/v1/me/bookings')
      .then((mine) => {
        const code = mine.find((b) => b.id === booked.id)?.checkInCode;
        if (!code) return null;
        return QRCode.toString(code, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
      })
      .then(
        (svg) => {
          if (live) setQr(svg ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` : null);
        },
        () => {
          if (live) setQr(null);
        },
      );
    return () => {
      live = false;
    };
  }, [booked]);

  if (booked.status === 'pending') {
    return (
      <section className="narrow">
        <h1 id="step-title" tabIndex={-1}>
          {t('portal.requestEnteredDraw')}
        </h1>
        <div className="notice notice-info">
          <p>{t('portal.dayHasJustOpened')}</p>
          {booked.decidesAt ? (
            <p>
              {t('portal.resultComes')} <strong>{formatDateTime(booked.decidesAt)}</strong>.{' '}
              {t('portal.weWillEmailYou')}
            </p>
          ) : null}
        </div>
        <a className="button" href="/my" onClick={link(navigate, '/my')}>
          {t('portal.myRegistrations')}
        </a>
      </section>
    );
  }

  return (
    <section className="confirmation">
      <div className="notice notice-ok" role="status">
        <p className="notice-title" id="step-title" tabIndex={-1}>
          {booked.moved ? t('portal.movedTitle') : t('portal.youBooked')}
        </p>
        <p>{booked.moved ? t('portal.movedDone') : t('portal.confirmationHasBeenSent')}</p>
      </div>
      <div className="card ticket">
        <div>
          <p className="muted">{t('portal.ticketNumber')}</p>
          <p className="ticket-number">{booked.number}</p>
          <p className="ticket-when">
            {formatWeekdayLong(startsAt)}
            <br />
            <strong>{formatTime(startsAt)}</strong>
          </p>
          <p>
            <strong>{nameOf(booked.service)}</strong>
            <br />
            {nameOf(booked.center)}
            <br />
            {addressOf(booked.center)}
          </p>
        </div>
        {qr ? (
          <div style={{ maxWidth: 200 }}>
            <img
              className="qr"
              src={qr}
              width={180}
              height={180}
              alt={t('portal.qrCodeRegistrationDesk')}
              data-testid="check-in-qr"
            />
            <p className="muted small">{t('portal.showQrAtKiosk')}</p>
          </div>
        ) : null}
      </div>
      {documentsOf(booked.service).length ? (
        <div className="card">
          <h2>{t('portal.whatBring')}</h2>
          <ul>
            {documentsOf(booked.service).map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <p>{t('portal.come10MinutesEarly')}</p>
      <div className="row">
        <button
          type="button"
          className="button"
          onClick={() => addToCalendar(booked).catch(() => setIcsError(true))}
        >
          {t('portal.addCalendarIcs')}
        </button>
        <a className="button secondary" href="/my" onClick={link(navigate, '/my')}>
          {t('portal.myRegistrations2')}
        </a>
      </div>
      {icsError ? (
        <p className="notice notice-error" role="alert">
          {t('portal.couldNotCreateCalendar')}
        </p>
      ) : null}
    </section>
  );
}
