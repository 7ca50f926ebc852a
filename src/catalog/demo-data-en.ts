/**
 * The demo catalogue in English (SPEC: every screen in Ukrainian and English): service names,
 * documents, fees, center names and addresses, keyed by id. A catalogue entry without an English
 * text is shown in Ukrainian.
 */
const passport = 'Ukrainian passport (ID card or booklet) and tax number (РНОКПП)';
const payment = 'Payment receipts (you can also pay by card at the center)';

export const SERVICES_EN: Record<string, { name: string; documents: string[]; price: string }> = {
  'svc-vehicle-new': {
    name: 'State registration of a new vehicle bought from a dealer',
    documents: [
      passport,
      'Dealer’s invoice or sales contract',
      'Certificate of conformity or vehicle type approval',
      'Compulsory third-party liability insurance policy',
      payment,
    ],
    price:
      'Administrative service UAH 150; registration certificate form UAH 228; number plates UAH 322; Pension Fund levy 3–5 % of the value',
  },
  'svc-vehicle-used': {
    name: 'Registration of an imported or previously registered vehicle',
    documents: [
      passport,
      'Customs declaration or proof of ownership',
      'Registration document of the country of import (if any)',
      'Vehicle expert examination report',
      payment,
    ],
    price: 'Administrative service UAH 150; certificate form UAH 228; number plates UAH 322',
  },
  'svc-vehicle-reregister': {
    name: 'Re-registration of a vehicle after a change of owner',
    documents: [
      passport,
      'Vehicle registration certificate',
      'Sales contract (made at the service center or by a notary)',
      'Seller and buyer in person (if the contract is made at the center)',
      payment,
    ],
    price:
      'Administrative service UAH 150; certificate form UAH 228; contract at the center UAH 100; Pension Fund levy 1 %',
  },
  'svc-vehicle-deregister': {
    name: 'Deregistration of a vehicle',
    documents: [
      passport,
      'Vehicle registration certificate',
      'Number plates (if the vehicle is scrapped or taken abroad)',
      payment,
    ],
    price: 'Administrative service UAH 150',
  },
  'svc-vehicle-duplicate': {
    name: 'Duplicate vehicle registration certificate',
    documents: [passport, 'Loss statement (made at the center) or the damaged certificate', payment],
    price: 'Administrative service UAH 150; certificate form UAH 228',
  },
  'svc-licence-first': {
    name: 'First driving licence after a driving school',
    documents: [
      passport,
      'Driving school certificate',
      'Medical certificate of fitness to drive',
      'Exam results (in the register)',
      payment,
    ],
    price: 'Administrative fee UAH 208; licence form UAH 225',
  },
  'svc-licence-exchange': {
    name: 'Exchange of a driving licence',
    documents: [
      passport,
      'The driving licence to exchange',
      'Medical certificate (if the licence has expired)',
      payment,
    ],
    price: 'Administrative fee UAH 208; licence form UAH 225',
  },
  'svc-licence-restore': {
    name: 'Replacement of a lost or stolen driving licence',
    documents: [passport, 'Medical certificate (if the previous one has expired)', payment],
    price: 'Administrative fee UAH 208; licence form UAH 225',
  },
  'svc-licence-international': {
    name: 'International driving permit',
    documents: [passport, 'National driving licence', 'Photo 35×45 mm', payment],
    price: 'Administrative fee UAH 230; form UAH 225',
  },
  'svc-theory-exam': {
    name: 'Theory driving test',
    documents: [
      passport,
      'Driving school certificate (or a self-study application for categories A, B)',
      'Medical certificate',
      payment,
    ],
    price: 'Administrative fee UAH 150',
  },
  'svc-practical-exam': {
    name: 'Practical driving test (training ground and route)',
    documents: [
      passport,
      'Proof of the passed theory test (in the register)',
      'Medical certificate',
      payment,
    ],
    price: 'Administrative fee UAH 250; with the service center’s training car UAH 600 more',
  },
};

export const CENTERS_EN: Record<string, { name: string; address: string }> = {
  'tsc-8041': { name: 'MIA Service Center No. 8041', address: '8 Pavla Usenka St, Kyiv' },
  'tsc-4641': { name: 'MIA Service Center No. 4641', address: '231 Bohdana Khmelnytskoho St, Lviv' },
  'tsc-6341': { name: 'MIA Service Center No. 6341', address: '47 Rybalka St, Kharkiv' },
  'tsc-5141': { name: 'MIA Service Center No. 5141', address: '98 Akademika Korolova St, Odesa' },
  'tsc-1241': { name: 'MIA Service Center No. 1241', address: '3 Kosmichna St, Dnipro' },
  'tsc-0541': { name: 'MIA Service Center No. 0541', address: '24 Nemyrivske Hwy, Vinnytsia' },
};
