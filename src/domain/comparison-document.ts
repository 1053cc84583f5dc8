// Validation of import documents against contracts/comparison.schema.json plus the rules the schema cannot
// state (two different tools, one review per persona, no control characters). Every problem is reported
// with its JSON path, not just the first one.
import { type core, z } from 'zod';
import { type Comparison, defaultComparisonUrl, type Tool } from './comparison.js';
import { controlCharacterProblem, type TextShape } from './control-characters.js';

/**
 * Refuses control characters in a text field. Which fields may span lines follows
 * contracts/comparison.schema.json: a tool's description and a review's text are prose of up to 5,000
 * characters and keep line breaks and tabs; everything else (title, headline, names, category, tagline,
 * pricing, entry price, best for, URLs) is shown on one line, in a subject, a feed title or a table cell.
 */
function plain<T extends z.ZodString | z.ZodURL>(schema: T, shape: TextShape = 'one-line'): T {
  const refuse: core.CheckFn<string> = (context) => {
    const problem = controlCharacterProblem(context.value, shape);
    if (problem) context.issues.push({ code: 'custom', message: problem, input: context.value });
  };
  return schema.check(refuse) as T;
}

const slug = z
  .string()
  .max(200)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, {
    error: 'must be lower-case letters and digits joined by single hyphens',
  });

const httpUrl = plain(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }));

const review = z.strictObject({
  persona: slug,
  score: z.int().min(0).max(100),
  verdict: z.enum(['ship', 'skip']),
  text: plain(z.string().max(5000), 'multi-line').optional(),
});

const tool = z.strictObject({
  slug,
  name: plain(z.string().min(1).max(120)),
  category: plain(z.string().min(1).max(60)),
  tagline: plain(z.string().max(300)).optional(),
  description: plain(z.string().max(5000), 'multi-line').optional(),
  pricing: plain(z.string().max(500)).optional(),
  entryPrice: plain(z.string().max(60)).optional(),
  bestFor: plain(z.string().max(300)).optional(),
  url: httpUrl.optional(),
  communityVotes: z.strictObject({ ship: z.int().min(0), skip: z.int().min(0) }).optional(),
  reviews: z.array(review).min(1).max(12),
});

const comparison = z.strictObject({
  slug,
  title: plain(z.string().min(1).max(300)).optional(),
  url: httpUrl.optional(),
  publishedAt: z.iso.datetime({
    offset: true,
    error: 'must be an RFC 3339 date-time such as 2026-11-18T15:00:00Z',
  }),
  headline: plain(z.string().max(500)).optional(),
  tools: z.array(tool).length(2),
});

export type ComparisonDocument = z.infer<typeof comparison>;

export interface DocumentProblem {
  readonly file: string;
  /** JSON path such as `tools[1].reviews[2].score`; empty for the document as a whole. */
  readonly path: string;
  readonly message: string;
  /** The file itself could not be read; `message` says why ("no such file"). */
  readonly unreadable?: boolean;
}

/** One problem as printed: `file: json.path: message`, or `cannot read file: reason`. */
export function describeProblem(problem: DocumentProblem): string {
  if (problem.unreadable) return `cannot read ${problem.file}: ${problem.message}`;
  return `${problem.file}: ${problem.path ? `${problem.path}: ` : ''}${problem.message}`;
}

export type ParseResult =
  | { readonly ok: true; readonly documents: ComparisonDocument[] }
  | { readonly ok: false; readonly problems: DocumentProblem[] };

function formatJsonPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

function describe(issue: core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      if (issue.origin === 'array') return `must have at most ${issue.maximum} items`;
      return `must be <= ${issue.maximum}`;
    case 'too_small':
      if (issue.origin === 'string')
        return issue.minimum === 1 ? 'must not be empty' : `must be at least ${issue.minimum} characters`;
      if (issue.origin === 'array')
        return `must have at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`;
      return `must be >= ${issue.minimum}`;
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${article(issue.expected)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown propert${issue.keys.length === 1 ? 'y' : 'ies'} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
    default:
      return issue.message;
  }
}

function article(expected: string): string {
  if (expected === 'int') return 'an integer';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

function stringField(value: unknown, key: string): string | undefined {
  const found = field(value, key);
  return typeof found === 'string' ? found : undefined;
}

/**
 * The rules JSON Schema cannot state: two tools with one slug, two reviews by one persona for a tool.
 * Checked on the raw input so they are reported together with schema errors elsewhere in the document
 * (zod skips refinements on values that already have issues).
 */
function crossFieldIssues(entry: unknown): { path: PropertyKey[]; message: string }[] {
  const issues: { path: PropertyKey[]; message: string }[] = [];
  const tools = asArray(field(entry, 'tools'));
  const [first, second] = tools.map((tool) => stringField(tool, 'slug'));
  if (first !== undefined && first === second) {
    issues.push({ path: ['tools', 1, 'slug'], message: `duplicates tools[0].slug "${first}"` });
  }
  tools.forEach((tool, toolIndex) => {
    const seen = new Map<string, number>();
    asArray(field(tool, 'reviews')).forEach((review, reviewIndex) => {
      const persona = stringField(review, 'persona');
      if (persona === undefined) return;
      const earlier = seen.get(persona);
      if (earlier === undefined) seen.set(persona, reviewIndex);
      else {
        issues.push({
          path: ['tools', toolIndex, 'reviews', reviewIndex, 'persona'],
          message: `persona "${persona}" already reviewed this tool at reviews[${earlier}]`,
        });
      }
    });
  });
  return issues;
}

function problemsOf(error: z.ZodError, file: string, prefix: PropertyKey[]): DocumentProblem[] {
  return error.issues.map((issue) => ({
    file,
    path: formatJsonPath([...prefix, ...issue.path]),
    message: describe(issue),
  }));
}

/**
 * V8 reports where JSON breaks as a character offset ("... in JSON at position 1612"); an editor needs the
 * line and column, counted from 1, and an input that ends too early is placed at its last character.
 */
export function describeJsonSyntaxError(text: string, message: string): string {
  const offset = /at position (\d+)/.exec(message)?.[1];
  const at = offset === undefined ? text.length : Math.min(Number(offset), text.length);
  const before = text.slice(0, at).split(/\r\n|\r|\n/);
  const line = before.length;
  const column = (before.at(-1)?.length ?? 0) + 1;
  const reason = message
    .replace(/\s*(?:in JSON )?at position \d+.*$/, '')
    .replace(/ \(line \d+ column \d+\)$/, '');
  return `not valid JSON: line ${line}, column ${column}: ${reason}`;
}

/** Parses one file's text: a comparison object or a non-empty array of them. */
export function parseComparisonDocument(text: string, file: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      problems: [{ file, path: '', message: describeJsonSyntaxError(text, (error as Error).message) }],
    };
  }
  const entries = Array.isArray(json) ? json : [json];
  if (Array.isArray(json) && json.length === 0) {
    return { ok: false, problems: [{ file, path: '', message: 'must hold at least one comparison' }] };
  }
  const documents: ComparisonDocument[] = [];
  const problems: DocumentProblem[] = [];
  entries.forEach((entry, index) => {
    const prefix = Array.isArray(json) ? [index] : [];
    const parsed = comparison.safeParse(entry, { reportInput: true });
    const crossField = crossFieldIssues(entry).map((issue) => ({
      file,
      path: formatJsonPath([...prefix, ...issue.path]),
      message: issue.message,
    }));
    if (!parsed.success) problems.push(...problemsOf(parsed.error, file, prefix));
    problems.push(...crossField);
    if (parsed.success && crossField.length === 0) documents.push(parsed.data);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, documents };
}

/** The comparison a valid document describes, with the schema's defaults for title and url applied. */
export function comparisonFromDocument(document: ComparisonDocument, siteUrl: string): Comparison {
  const [left, right] = document.tools.map(
    (tool): Tool => ({
      ...tool,
      reviews: tool.reviews.map((review) => ({ ...review })),
    }),
  );
  if (!left || !right) throw new Error(`${document.slug}: a comparison has exactly two tools`);
  return {
    slug: document.slug,
    title: document.title ?? `${left.name} vs ${right.name}`,
    url: document.url ?? defaultComparisonUrl(siteUrl, document.slug),
    publishedAt: new Date(document.publishedAt),
    headline: document.headline,
    tools: [left, right],
  };
}
