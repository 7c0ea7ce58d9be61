import { friendlyError } from '@/components/error-message';
import { ApiError } from '@/lib/api-error';

describe('friendlyError', () => {
  test('shows the server’s own words for a refusal', () => {
    const err = new ApiError({ status: 403, code: 'impersonation_disabled', title: 'Impersonation is off', detail: 'A TM Admin turned it off.' });
    expect(friendlyError(err)).toEqual({ title: 'Impersonation is off', message: 'A TM Admin turned it off.', reference: undefined });
  });

  test('never shows the message of an unexpected error', () => {
    const { title, message } = friendlyError(new TypeError("Cannot read properties of undefined (reading 'tenant')"));
    expect(`${title} ${message}`).not.toMatch(/undefined|reading/);
    expect(title).toBe('Something went wrong');
  });

  test('hides server error details but keeps the request id', () => {
    const err = new ApiError({ status: 500, code: 'internal', title: 'Internal', detail: 'sql: no rows', requestId: 'req-1' });
    const f = friendlyError(err);
    expect(`${f.title} ${f.message}`).not.toContain('sql');
    expect(f.reference).toBe('req-1');
  });

  test('suggests a reload when a lazy chunk is gone after a deploy', () => {
    const f = friendlyError(new TypeError('Failed to fetch dynamically imported module: /assets/audit-abc.js'));
    expect(f.title).toBe('Regent has been updated');
  });
});
