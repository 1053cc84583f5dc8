// The email on the upcoming edition's page: as any category variant or as one subscriber gets it, in frames
// at 600 and 375 px. The frames load /admin/preview, a review copy that opens no link.

export interface PreviewChoice {
  /** Categories of the week's comparisons: each is a variant (readers following only it). */
  readonly categories: readonly string[];
  readonly category?: string | undefined;
  readonly as?: string | undefined;
  /** The query of the preview frames' address (week and variant). */
  readonly query: string;
}

export function Preview({ weekKey, preview }: { weekKey: string; preview: PreviewChoice }) {
  const src = `/admin/preview?${preview.query}`;
  return (
    <section aria-labelledby="preview">
      <h2 id="preview">The email</h2>
      <form method="get" action="/admin">
        <input type="hidden" name="week" value={weekKey} />
        <label htmlFor="variant">As readers of</label>
        <select id="variant" name="category" defaultValue={preview.category ?? ''}>
          <option value="">every category (the whole edition)</option>
          {preview.categories.map((category) => (
            <option key={category} value={category}>
              {category} only
            </option>
          ))}
        </select>
        <label htmlFor="as">Or as this subscriber gets it</label>
        <input id="as" type="email" name="as" defaultValue={preview.as} placeholder="reader@example.com" />
        <p>
          <button type="submit" className="secondary">
            Show
          </button>
        </p>
      </form>
      <p className="hint">
        A review copy: the links that would change a reader's subscription are left out, and the frames open
        no link.
      </p>
      <div className="frames">
        {[600, 375].map((width) => (
          <figure key={width}>
            <figcaption>{width} px</figcaption>
            <div className="frame">
              <iframe title={`The email at ${width} px`} src={src} width={width} height={1400} sandbox="" />
            </div>
          </figure>
        ))}
      </div>
    </section>
  );
}
