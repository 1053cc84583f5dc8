// The Content-Security-Policy of every page: no scripts, nothing loaded from anywhere, forms post only
// here, and no page may be framed. Two exceptions, one path each, for the editor console's preview: the
// upcoming edition (/admin) frames the email, and the email (/admin/preview) may be framed by this site.
const STRICT = ["default-src 'none'", "style-src 'unsafe-inline'", "form-action 'self'", "base-uri 'none'"];

export function contentSecurityPolicy(path: string): string {
  const framedBy = path === '/admin/preview' ? "frame-ancestors 'self'" : "frame-ancestors 'none'";
  const frames = path === '/admin' ? ["frame-src 'self'"] : [];
  return [...STRICT, framedBy, ...frames].join('; ');
}
