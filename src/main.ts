import cluster from 'node:cluster';

/**
 * WORKERS=N (PostgreSQL only) runs N server processes on one port with node:cluster: the server
 * is stateless (sessions, counters, queues and events live in PostgreSQL), so this is the same as
 * N instances behind a load balancer, on one machine. A worker that dies is replaced.
 */
const workers = Number(process.env.WORKERS ?? 1);
if (cluster.isPrimary && workers > 1) {
  if (!process.env.DATABASE_URL) {
    console.error('E-Запис не запущено: WORKERS > 1 needs DATABASE_URL (PGlite serves one process).');
    process.exit(2);
  }
  const fork = () => cluster.fork();
  // The first worker migrates and seeds (under the migration lock) before the others start.
  const first = fork();
  first.once('listening', () => {
    for (let i = 1; i < workers; i++) fork();
  });
  // Said once all are up: clients that keep connections open (a benchmark, a proxy's pool)
  // should connect after this line, or every connection lands on the first worker.
  let listening = 0;
  cluster.on('listening', () => {
    if (++listening === workers) console.log(`E-Запис: ${workers} server processes listening`);
  });
  let stopping = false;
  cluster.on('exit', (worker, code) => {
    if (!stopping && code !== 0) {
      console.error(`worker ${worker.id} exited (${code}); starting another`);
      fork();
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
    });
  }
} else {
  // Loaded only here: a cluster primary only forks and watches, and needs none of the app.
  const { serve } = await import('./server.js');
  await serve();
}
