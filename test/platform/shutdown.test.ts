import net, { type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createHarness } from '../support/harness.js';

describe('shutdown', () => {
  it('is not held up by a connection that never sent a request (a browser preconnect)', async () => {
    const h = await createHarness('pglite');
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = h.app.server.address() as AddressInfo;
    const idle = net.connect({ port, host: '127.0.0.1' });
    await new Promise((resolve) => idle.once('connect', resolve));
    const closed = new Promise((resolve) => idle.once('close', resolve));
    const started = Date.now();
    await h.close();
    await closed;
    // Node would wait for its headers timeout (a minute); the server cuts it after its grace.
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 20_000);
});
