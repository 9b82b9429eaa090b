/**
 * A construct id for a user-chosen key. The constructs library keeps children in a plain object
 * and tests `id in children`, so a key named like an `Object.prototype` member (`constructor`,
 * `toString`, `hasOwnProperty`, `valueOf`, `__defineGetter__`, ...) "already exists" in every
 * scope and adding it throws. Such ids get a "~" appended, and so does any id that is one of them
 * followed by "~"s, so the mapping stays one-to-one (`constructor` → `constructor~`,
 * `constructor~` → `constructor~~`); every other id is unchanged. Terraform logical ids are set
 * separately (overrideLogicalId) and keep the key as it is.
 */
export function constructIdFor(key: string): string {
  const base = key.replace(/~+$/, "");
  return Object.prototype.hasOwnProperty.call(Object.prototype, base) ? `${key}~` : key;
}
