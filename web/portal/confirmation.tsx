import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { documentsOf } from '../shared/api.js';
import { L } from '../shared/i18n.js';
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
  const { error, value } = createEvent({
    title: `${b.service.name} — ${b.center.name}`,
    description: [
      `${L('Номер талона', 'Ticket')}: ${b.number ?? ''}`,
      docs.length ? `${L('Візьміть із собою', 'Bring')}: ${docs.join('; ')}` : '',
      L('Скасувати можна не пізніше ніж за 2 години.', 'Cancel no later than 2 hours before.'),
    ]
      .filter(Boolean)
      .join('\n'),
    location: `${b.center.name}, ${b.center.address}`,
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
        description: L('Візит до сервісного центру', 'Service center visit'),
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
    // The QR carries the registration id and number: the desk can open it without typing.
    QRCode.toString(`EZAPYS:${booked.id}:${booked.number ?? ''}`, {
      type: 'svg',
      margin: 1,
      errorCorrectionLevel: 'M',
    }).then(
      (svg) => setQr(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`),
      () => setQr(null),
    );
  }, [booked]);

  if (booked.status === 'pending') {
    return (
      <section className="narrow">
        <h1 id="step-title" tabIndex={-1}>
          {L('Заявку прийнято до жеребкування', 'Your request entered the draw')}
        </h1>
        <div className="notice notice-info">
          <p>
            {L(
              'Цей день щойно відкрився, тому місця розподіляються жеребкуванням серед усіх заявок перших хвилин: швидкість не дає переваги.',
              'This day has just opened, so places are assigned by a draw among all requests of the first minutes: speed gives no advantage.',
            )}
          </p>
          {booked.decidesAt ? (
            <p>
              {L('Результат буде о', 'The result comes at')}{' '}
              <strong>{formatDateTime(booked.decidesAt)}</strong>.{' '}
              {L(
                'Ми надішлемо лист і покажемо його в «Моїх записах».',
                'We will email you and show it in “My registrations”.',
              )}
            </p>
          ) : null}
        </div>
        <a className="button" href="/my" onClick={link(navigate, '/my')}>
          {L('До моїх записів', 'To my registrations')}
        </a>
      </section>
    );
  }

  return (
    <section className="confirmation">
      <div className="notice notice-ok" role="status">
        <p className="notice-title" id="step-title" tabIndex={-1}>
          {L('Ви записані!', 'You are booked!')}
        </p>
        <p>
          {L(
            'Підтвердження надіслано на вашу електронну пошту.',
            'A confirmation has been sent to your email.',
          )}
        </p>
      </div>
      <div className="card ticket">
        <div>
          <p className="muted">{L('Номер талона', 'Ticket number')}</p>
          <p className="ticket-number">{booked.number}</p>
          <p className="ticket-when">
            {formatWeekdayLong(startsAt)}
            <br />
            <strong>{formatTime(startsAt)}</strong>
          </p>
          <p>
            <strong>{booked.service.name}</strong>
            <br />
            {booked.center.name}
            <br />
            {booked.center.address}
          </p>
        </div>
        {qr ? (
          <img
            className="qr"
            src={qr}
            width={180}
            height={180}
            alt={L('QR-код запису для адміністратора', 'QR code of the registration for the desk')}
          />
        ) : null}
      </div>
      {documentsOf(booked.service).length ? (
        <div className="card">
          <h2>{L('Що взяти з собою', 'What to bring')}</h2>
          <ul>
            {documentsOf(booked.service).map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <p>
        {L(
          'Приходьте за 10 хвилин до часу візиту. Ваш номер з’явиться на табло разом із номером вікна.',
          'Come 10 minutes early. Your number appears on the board with the desk number.',
        )}
      </p>
      <div className="row">
        <button
          type="button"
          className="button"
          onClick={() => addToCalendar(booked).catch(() => setIcsError(true))}
        >
          {L('Додати в календар (.ics)', 'Add to calendar (.ics)')}
        </button>
        <a className="button secondary" href="/my" onClick={link(navigate, '/my')}>
          {L('Мої записи', 'My registrations')}
        </a>
      </div>
      {icsError ? (
        <p className="notice notice-error" role="alert">
          {L(
            'Не вдалося створити файл календаря. Запишіть час вручну.',
            'Could not create the calendar file.',
          )}
        </p>
      ) : null}
    </section>
  );
}
