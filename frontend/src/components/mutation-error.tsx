import { Alert, Button, Stack, Text } from '@mantine/core';

import { friendlyError } from '@/components/error-message';
import { isApiError } from '@/lib/api-error';

// Headlines for the refusals a form can meet, by `code`. The server's `detail` (written for
// people) says the rest; 5xx details are never shown (see friendlyError).
const headlines: Record<string, string> = {
  version_conflict: 'Someone else changed this',
  name_taken: 'That name is already used',
  email_taken: 'That email address is already used',
  role_in_use: 'This role is still in use',
  self_lockout: 'You cannot change your own access',
  forbidden: 'Your role does not allow this',
  not_found: 'This no longer exists',
  invalid: 'Some details need your attention',
};

function sentence(label: string, message: string): string {
  // The server words field errors to follow the field's name: "is required".
  return /^[a-z]/.test(message) ? `${label} ${message}` : message;
}

/**
 * The field errors of a refused request (problem `errors`), worded for the form whose fields
 * `labels` names ("name" → "Name is already used"). Fields the form does not show are left out:
 * {@link MutationError} lists them instead.
 */
export function fieldErrorsOf(error: unknown, labels: Record<string, string>): Record<string, string> {
  if (!isApiError(error)) return {};
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(error.errors)) {
    const label = labels[field];
    if (label) out[field] = sentence(label, message);
  }
  return out;
}

interface MutationErrorProps {
  error: unknown;
  /** The form's fields (field → label); their errors show under the fields instead. */
  fields?: Record<string, string>;
  /** Offered as "Reload" when the record changed meanwhile (version_conflict). */
  onReload?: () => void;
  reloading?: boolean;
}

/**
 * Explains why a change was refused, by `code`: a conflicting edit offers "Reload", a taken name
 * or a bad field points at the field, anything else gets the server's words or a generic text.
 */
export function MutationError({ error, fields = {}, onReload, reloading }: MutationErrorProps) {
  if (!error) return null;

  if (isApiError(error)) {
    const unshown = Object.entries(error.errors).filter(([field]) => !fields[field]);
    const shownUnderFields = Object.keys(error.errors).length > 0 && unshown.length === 0;
    // The fields say it all: a short pointer is enough.
    if (shownUnderFields) return null;

    if (error.code === 'version_conflict') {
      return (
        <Alert color="yellow" variant="light" title={headlines.version_conflict} role="alert">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">
              It was changed after you opened it, so your change was not saved. Reload to see the latest version, then
              make your change again.
            </Text>
            {onReload && (
              <Button size="xs" variant="white" color="yellow" onClick={onReload} loading={reloading}>
                Reload
              </Button>
            )}
          </Stack>
        </Alert>
      );
    }

    if (error.status >= 400 && error.status < 500 && headlines[error.code]) {
      return (
        <Alert color="red" variant="light" title={headlines[error.code]} role="alert">
          {error.detail && <Text size="sm">{error.detail}</Text>}
          {unshown.length > 0 && (
            <Text size="sm" component="ul" m={0} pl="md">
              {unshown.map(([field, message]) => (
                <li key={field}>{sentence(field, message)}</li>
              ))}
            </Text>
          )}
        </Alert>
      );
    }
  }

  const { title, message, reference } = friendlyError(error);
  return (
    <Alert color="red" variant="light" title={title} role="alert">
      {message && <Text size="sm">{message}</Text>}
      {reference && (
        <Text size="xs" c="dimmed">
          Reference for support: {reference}
        </Text>
      )}
    </Alert>
  );
}
