import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

/**
 * The browse ceiling: a bare Fastify route at the same path answering the same JSON bytes from
 * memory (BARE_ANSWERS: a file of { "<center>|<date>": "<body>" } captured from the real server),
 * nothing else: no schema, no hooks, no database. Started as its own process like the server.
 */
const answers = new Map<string, Buffer>(
  Object.entries(
    JSON.parse(readFileSync(process.env.BARE_ANSWERS as string, 'utf8')) as Record<string, string>,
  ).map(([k, v]) => [k, Buffer.from(v)]),
);
const app = Fastify({ logger: false });
app.get('/healthz', async () => ({ ok: true }));
app.get<{ Params: { id: string }; Querystring: { date: string } }>(
  '/api/v1/centers/:id/slots',
  (req, reply) => {
    const body = answers.get(`${req.params.id}|${req.query.date}`);
    if (!body) return reply.code(404).send({ code: 'NOT_FOUND' });
    reply.header('content-type', 'application/json; charset=utf-8').send(body);
  },
);
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
