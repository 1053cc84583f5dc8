// The categories a reader may follow, as checkboxes: on the sign-up form and the preferences page.

export function CategoryChoices({
  categories,
  selected,
}: {
  categories: readonly string[];
  selected: readonly string[];
}) {
  if (categories.length === 0) return null;
  const chosen = new Set(selected.map((category) => category.toLowerCase()));
  return (
    <fieldset>
      <legend>Categories (none chosen: all of them)</legend>
      {categories.map((category) => (
        <label key={category}>
          <input
            type="checkbox"
            name="categories"
            value={category}
            defaultChecked={chosen.has(category.toLowerCase())}
          />
          {category}
        </label>
      ))}
    </fieldset>
  );
}
