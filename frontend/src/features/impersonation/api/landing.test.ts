import { describe, expect, test } from 'vitest';

import { landingOf } from '@/features/impersonation/api/impersonation';

const paris = { tenant: { id: 't-paris', name: 'LSP Paris' } };
const lsp = { tenant: { id: 't-lsp', name: 'League of the Scarlet Pimpernel' } };

describe('landingOf', () => {
  test('Configure opens Business Units', () => {
    expect(landingOf({ ...paris, mode: 'configure' }, ['business_units:read'])).toBe('/t/t-paris/acd/business-units');
  });

  test('Support opens Employees where it may read them', () => {
    expect(landingOf({ ...paris, mode: 'support' }, ['employees:read', 'contacts:read'])).toBe('/t/t-paris/admin/employees');
    expect(landingOf({ ...paris, mode: 'support' })).toBe('/t/t-paris/admin/employees');
  });

  test('Support in a partner, whose people are closed to it, opens Contacts', () => {
    expect(landingOf({ ...lsp, mode: 'support' }, ['contacts:read', 'contacts:manage'])).toBe('/t/t-lsp/contacts');
  });
});
