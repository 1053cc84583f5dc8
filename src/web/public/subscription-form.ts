// What a sign-up or preferences form sent: form fields (categories may repeat) or a JSON object.
import type { Context } from 'hono';

export interface SubscriptionInput {
  readonly email: string;
  readonly categories: string[];
  readonly form: string;
  readonly json: boolean;
}

export const isJson = (c: Context) => (c.req.header('content-type') ?? '').includes('application/json');

/**
 * Form fields or JSON, whichever the client sent; categories may repeat in a form. JSON that is not an
 * object (`null`, a number, an array, or no JSON at all) comes back as undefined: a 400, not a crash.
 */
export async function readSubscription(c: Context): Promise<SubscriptionInput | undefined> {
  if (isJson(c)) {
    const body: unknown = await c.req.json().catch(() => undefined);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
    const { email, categories } = body as { email?: unknown; categories?: unknown };
    return {
      email: typeof email === 'string' ? email : '',
      categories: Array.isArray(categories)
        ? categories.filter((entry): entry is string => typeof entry === 'string')
        : [],
      form: 'api',
      json: true,
    };
  }
  const body = await c.req.parseBody({ all: true }).catch(() => ({}) as Record<string, unknown>);
  const field = (value: unknown) =>
    (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
      (entry): entry is string => typeof entry === 'string',
    );
  return {
    email: field(body.email)[0] ?? '',
    categories: field(body.categories),
    form: field(body.form)[0] ?? 'signup',
    json: false,
  };
}
