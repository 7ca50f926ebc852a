import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { blockPreviewBody, blockPreviewView } from './block-preview-api-schema.js';
import type { BlockPreview } from './block-preview-service.js';

/** Rule 4: the preview before lifting a no-show block (the identifier in the body, never the URL). */
export const blockPreviewRoutes =
  ({ blockPreview }: { blockPreview: BlockPreview }): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/v1/admin/blocks/preview',
      {
        // A read of personal data by identifier: limited like other reads, so a console session
        // cannot sweep identifiers to find who is blocked.
        config: { access: ['center_head', 'national_admin'], rateLimit: 'reads' },
        schema: {
          tags: ['admin'],
          summary:
            'Кого зніме блокування: замасковані ПІБ і номер, з коли й до коли, причина, центр (перегляд записується в журнал)',
          body: blockPreviewBody,
          response: { 200: blockPreviewView },
        },
      },
      (request) => {
        const principal = request.principal;
        return blockPreview.preview({
          idKind: request.body.idKind,
          idValue: request.body.idValue,
          headCenterId: principal?.centerId ?? null,
          isNationalAdmin: principal?.role === 'national_admin',
          actor: {
            kind: principal?.role ?? 'anonymous',
            id: principal?.staffId ?? principal?.centerId ?? null,
            ip: request.ip,
          },
        });
      },
    );
  };
