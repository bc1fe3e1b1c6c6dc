import { expect, it } from 'vitest';
import { parseEmail } from './email';

it('trims and lowercases e-mail addresses, and refuses what cannot be one', () => {
  expect(parseEmail('  Helene.Dupre@Example.ORG ')).toBe('helene.dupre@example.org');
  for (const bad of ['', 'helene', 'helene@', '@example.org', 'a b@example.org', 'a@b', 'a@@b.org']) {
    expect(parseEmail(bad), bad).toBeNull();
  }
});
