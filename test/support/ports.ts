import net from 'node:net';

/**
 * A TCP port free on 127.0.0.1 now, for a process started next, below the kernel's ephemeral
 * range (32768 and up on Linux). A port from that range (what `listen(0)` hands out) can be taken
 * by any outgoing connection between the check and the listen: seen once in CI as EADDRINUSE.
 * (scripts/smoke.mjs has the same in plain JavaScript: it runs without development dependencies.)
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port in 20000-31999');
}
