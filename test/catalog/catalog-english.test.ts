import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../src/catalog/demo-seed.js';
import { createHarness, type Harness } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

/** Every screen in Ukrainian and English: the catalogue answers carry the English texts too. */
describe.each(testDatabases())('the catalogue in English on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind);
    await seedDemoData(h.ctx);
  });
  afterAll(() => h.close());

  it('every demo service has an English name, documents (as many as in Ukrainian) and fee', async () => {
    const services = (await h.app.inject({ url: '/api/v1/services' })).json() as Array<{
      name: string;
      nameEn: string | null;
      documents: string[];
      documentsEn: string[];
      price: string | null;
      priceEn: string | null;
    }>;
    expect(services.length).toBeGreaterThanOrEqual(11);
    for (const s of services) {
      expect(s.nameEn, s.name).toMatch(/^[A-Z][\x20-\x7e–’×]+$/);
      expect(s.documentsEn).toHaveLength(s.documents.length);
      expect(s.priceEn, s.name).toMatch(/UAH/);
    }
  });

  it('every demo center has an English name and address', async () => {
    const centers = (await h.app.inject({ url: '/api/v1/centers' })).json() as Array<{
      id: string;
      nameEn: string | null;
      addressEn: string | null;
    }>;
    const kyiv = centers.find((c) => c.id === 'tsc-8041');
    expect(kyiv).toMatchObject({
      nameEn: 'MIA Service Center No. 8041',
      addressEn: '8 Pavla Usenka St, Kyiv',
    });
    for (const c of centers.filter((x) => x.id.startsWith('tsc-'))) {
      expect(c.nameEn, c.id).toBeTruthy();
      expect(c.addressEn, c.id).toBeTruthy();
    }
  });
});
