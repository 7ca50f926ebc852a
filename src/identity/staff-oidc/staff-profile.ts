/**
 * The staff member's display name from the SSO's `name` claim, as the audit log will show it:
 * one line, no control characters, spaces collapsed, 2–200 characters. Anything else is not a
 * name (null: the staff row keeps the one it has).
 */
export function ssoDisplayName(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const name = raw
    .normalize('NFC')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return name.length >= 2 && name.length <= 200 ? name : null;
}
