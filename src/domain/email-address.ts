// Address checks for subscriber input: strict enough to catch typos and junk, loose enough for every
// address a real mailbox provider hands out (RFC 5321 dot-atom local parts; no quoted local parts).

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export type AddressCheck =
  | { readonly ok: true; readonly email: string; readonly key: string }
  | { readonly ok: false; readonly reason: string };

/** Trims and validates an address; `key` is the lower-cased form used for case-insensitive uniqueness. */
export function checkEmailAddress(input: string): AddressCheck {
  const email = input.trim();
  if (email === '') return { ok: false, reason: 'address is empty' };
  if (email.length > 254) return { ok: false, reason: 'address is longer than 254 characters' };
  const at = email.lastIndexOf('@');
  if (at === -1) return { ok: false, reason: `"${email}" has no @` };
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local === '') return { ok: false, reason: `"${email}" has nothing before the @` };
  if (local.length > 64)
    return { ok: false, reason: `"${email}": the part before @ is longer than 64 characters` };
  if (!LOCAL_PART.test(local))
    return { ok: false, reason: `"${email}": the part before @ has characters an address cannot have` };
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label))) {
    return { ok: false, reason: `"${email}": "${domain}" is not a valid domain` };
  }
  if (!/^[A-Za-z]{2,}$|^xn--[A-Za-z0-9-]+$/.test(labels.at(-1) ?? '')) {
    return { ok: false, reason: `"${email}": "${domain}" has no valid top-level domain` };
  }
  return { ok: true, email, key: email.toLowerCase() };
}

/** "A;B" -> ["A", "B"]: trimmed, empty entries dropped, duplicates (ignoring case) removed. */
export function parseCategoryList(input: string | undefined): string[] {
  if (!input) return [];
  const seen = new Set<string>();
  const categories: string[] = [];
  for (const raw of input.split(';')) {
    const category = raw.trim();
    if (category === '' || seen.has(category.toLowerCase())) continue;
    seen.add(category.toLowerCase());
    categories.push(category);
  }
  return categories;
}

export type AddressList =
  | { readonly ok: true; readonly addresses: string[] }
  | { readonly ok: false; readonly reason: string };

/**
 * "a@x.com, b@y.org" -> ["a@x.com", "b@y.org"]: each address trimmed and checked, empty entries skipped,
 * and an address named twice (in any letter case) kept once, as first written.
 */
export function parseAddressList(input: string): AddressList {
  const addresses: string[] = [];
  const keys = new Set<string>();
  for (const part of input.split(',')) {
    if (part.trim() === '') continue;
    const checked = checkEmailAddress(part);
    if (!checked.ok) return checked;
    if (keys.has(checked.key)) continue;
    keys.add(checked.key);
    addresses.push(checked.email);
  }
  return { ok: true, addresses };
}
