import type { DeclaredRoute } from './auth.js';
import type { Role } from './session-service.js';

/** Who may call what: the README table, built from the routes' own declarations. */
export const MATRIX_ROLES: Array<Role | 'anonymous'> = [
  'anonymous',
  'citizen',
  'operator',
  'center_head',
  'national_admin',
  'terminal',
  'board',
];

/** Routes under /api/v1 (the contract); /auth and /dev are browser flows and demo tools. */
export function matrixRoutes(routes: DeclaredRoute[]): DeclaredRoute[] {
  const seen = new Set<string>();
  return routes
    .filter((r) => r.url.startsWith('/api/') && !r.url.includes('*') && r.method !== 'OPTIONS')
    .filter((r) => {
      const key = `${r.method} ${r.url}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method));
}

export function mayCall(route: DeclaredRoute, role: Role | 'anonymous'): boolean {
  if (route.access === 'public') return true;
  if (!route.access || role === 'anonymous') return false;
  return route.access.includes(role);
}

/** Center-scoped: staff and devices only for their own center (national admin: any). */
export function isCenterScoped(route: DeclaredRoute): boolean {
  return /\/centers\/:(id|centerId)/.test(route.url);
}

/** Routes on a desk, registration or device: the handler checks the center it belongs to. */
export function isCenterBound(route: DeclaredRoute): boolean {
  return isCenterScoped(route) || /^\/api\/v1\/(desks|registrations|devices)\/:id\//.test(route.url);
}

export function roleMatrixMarkdown(routes: DeclaredRoute[]): string {
  const list = matrixRoutes(routes);
  const head = `| route | ${MATRIX_ROLES.join(' | ')} |\n| --- | ${MATRIX_ROLES.map(() => ':-:').join(' | ')} |`;
  const rows = list.map((r) => {
    const cells = MATRIX_ROLES.map((role) => {
      if (!mayCall(r, role)) return '✗';
      if (r.access === 'public') return '✓';
      return isCenterBound(r) && role !== 'national_admin' ? '✓ own center' : '✓';
    });
    return `| \`${r.method} ${r.url}\` | ${cells.join(' | ')} |`;
  });
  return [head, ...rows].join('\n');
}
