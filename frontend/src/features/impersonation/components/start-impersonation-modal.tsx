import { Alert, Button, Group, List, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';

import { MutationError, fieldErrorsOf } from '@/components/mutation-error';
import { paths } from '@/config/paths';
import {
  landingOf,
  modeLabel,
  useStartImpersonation,
  type ImpersonationMode,
  type ImpersonationTarget,
  type StartedImpersonation,
} from '@/features/impersonation/api/impersonation';
import { savePendingStart } from '@/features/impersonation/api/reauth-resume';
import { IconAlertTriangle } from '@/components/icons';
import { isApiError } from '@/lib/api-error';
import { documentNavigation } from '@/lib/document-navigation';

/** The reason's length limits (product.md 3.4; the server checks them too). */
export const reasonLimits = { min: 10, max: 500 } as const;

/** What each mode lets the person do, in the dialog's words (product.md 3.2). */
const mayChange: Record<ImpersonationMode, string[]> = {
  support: ['Employees: invite, edit, deactivate, assign tenant roles', 'Contacts: add and edit (no export)'],
  configure: ['Business units', 'Skills', 'Branding'],
};

/** Checks a reason as the server will (after trimming); undefined when it is fine. */
export function reasonError(reason: string): string | undefined {
  const n = [...reason.trim()].length;
  if (n < reasonLimits.min) return `Reason must be at least ${reasonLimits.min} characters: say why, for example the ticket number`;
  if (n > reasonLimits.max) return `Reason must be at most ${reasonLimits.max} characters (it has ${n})`;
  return undefined;
}

// Refusals of a start, by `code`: why, and what to do about it.
const refusals: Record<string, { title: string; advice: string }> = {
  impersonation_forbidden: {
    title: 'You may not start this impersonation',
    advice: 'If your work needs it, ask a TM Admin (or your partner’s admin) to change your role.',
  },
  impersonation_disabled: {
    title: 'Switched off by policy',
    advice: 'This mode is switched off for this tenant. If you need it, ask a TM Admin to switch it on in the impersonation settings.',
  },
  already_impersonating: {
    title: 'You are already impersonating a tenant',
    advice: 'A person can be in one tenant at a time. Stop the running session first (Stop in the orange bar, perhaps in another tab), then try again.',
  },
  not_found: {
    title: 'Tenant not found',
    advice: 'It may have been removed, or it is no longer within your reach. Reload the list.',
  },
};

function Refusal({ error }: { error: unknown }) {
  if (isApiError(error) && refusals[error.code]) {
    const { title, advice } = refusals[error.code];
    return (
      <Alert color="red" variant="light" title={title} role="alert" icon={<IconAlertTriangle />}>
        <Stack gap={4}>
          {error.detail && <Text size="sm">{error.detail}</Text>}
          <Text size="sm">{advice}</Text>
        </Stack>
      </Alert>
    );
  }
  if (isApiError(error, 'reauth_required')) {
    return (
      <Alert color="blue" variant="light" title="Confirm it is you" role="status">
        Taking you to sign in again. You will come back to this dialog afterwards.
      </Alert>
    );
  }
  return <MutationError error={error} fields={{ reason: 'Reason' }} />;
}

interface StartFormProps {
  tenant: ImpersonationTarget;
  mode: ImpersonationMode;
  initialReason: string;
  resumed: boolean;
  onClose: () => void;
}

function StartForm({ tenant, mode, initialReason, resumed, onClose }: StartFormProps) {
  const start = useStartImpersonation();
  const navigate = useNavigate();
  const [reason, setReason] = useState(initialReason);
  // Errors show once the person has tried to start or left the field, then follow the typing.
  const [checking, setChecking] = useState(false);
  const [serverError, setServerError] = useState<string | undefined>();
  const count = [...reason.trim()].length;
  const error = serverError ?? (checking ? reasonError(reason) : undefined);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecking(true);
    if (reasonError(reason)) {
      document.getElementById('impersonation-reason')?.focus();
      return;
    }
    start.mutate(
      { tenantId: tenant.id, mode, reason: reason.trim() },
      {
        onSuccess: (session: StartedImpersonation) => {
          onClose();
          // The server names the page to open; only a path inside the app is followed.
          const landing = session.landing?.startsWith('/t/') ? session.landing : landingOf(session);
          navigate(landing, { replace: true });
        },
        onError: (err) => {
          if (isApiError(err, 'reauth_required')) {
            savePendingStart({ tenantId: tenant.id, mode, reason: reason.trim() });
            const loginUrl = err.problem?.loginUrl;
            documentNavigation.assign(
              typeof loginUrl === 'string' && loginUrl.startsWith('/')
                ? loginUrl
                : paths.login(`${paths.tenant(tenant.id)}?impersonate=${mode}`),
            );
            return;
          }
          const fieldError = fieldErrorsOf(err, { reason: 'Reason' }).reason;
          if (fieldError) {
            setServerError(fieldError);
            document.getElementById('impersonation-reason')?.focus();
          }
        },
      },
    );
  };

  const redirecting = isApiError(start.error, 'reauth_required');

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {resumed && (
          <Alert color="blue" variant="light" title="You have signed in again">
            Check the reason, then press Start to begin the session.
          </Alert>
        )}
        <Stack gap={6}>
          <Text size="sm">
            You will work inside <strong>{tenant.name}</strong> as its hidden <strong>Impersonated Admin</strong>, seeing the tenant app as
            its administrator does (except the Access Log). You may change:
          </Text>
          <List size="sm" withPadding>
            {mayChange[mode].map((item) => (
              <List.Item key={item}>{item}</List.Item>
            ))}
          </List>
          <Text size="sm" c="dimmed">
            Everything you do is recorded under your own name with this reason, and the session ends on its own after its time limit.
            The console stays closed until you stop.
          </Text>
        </Stack>
        <Textarea
          id="impersonation-reason"
          label="Reason (ticket number etc.)"
          required
          rows={4}
          resize="vertical"
          data-autofocus
          value={reason}
          onChange={(e) => {
            setReason(e.currentTarget.value);
            setServerError(undefined);
          }}
          onBlur={() => count > 0 && setChecking(true)}
          error={error}
          description={`${count} of ${reasonLimits.max} characters (at least ${reasonLimits.min})`}
          inputWrapperOrder={['label', 'input', 'description', 'error']}
          styles={{ description: { color: count > reasonLimits.max ? 'var(--mantine-color-error)' : undefined } }}
        />
        {start.error ? <Refusal error={start.error} /> : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={start.isPending || redirecting}>
            Cancel
          </Button>
          <Button type="submit" color="orange.8" loading={start.isPending || redirecting}>
            Start
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Which tenant, which mode, and how the dialog opens. */
export interface StartRequest {
  tenant: ImpersonationTarget;
  mode: ImpersonationMode;
  /** Filled in when coming back from re-authentication. */
  reason?: string;
  resumed?: boolean;
}

interface StartImpersonationModalProps {
  request: StartRequest | null;
  opened: boolean;
  onClose: () => void;
  /** Changes with each opening, so the form starts afresh. */
  formKey?: number;
}

/**
 * The dialog that starts an impersonation: what the mode allows, the reason (10–500
 * characters, counted as typed), and Start. Refusals are explained with what to do; a request
 * for re-authentication takes the browser to sign in and back (see useImpersonationStarter).
 * On success it opens the session's landing page in the tenant app.
 */
export function StartImpersonationModal({ request, opened, onClose, formKey }: StartImpersonationModalProps) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={request ? `${modeLabel[request.mode]}: ${request.tenant.name}` : ''}
      size="lg"
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      {request && (
        <StartForm
          key={formKey}
          tenant={request.tenant}
          mode={request.mode}
          initialReason={request.reason ?? ''}
          resumed={!!request.resumed}
          onClose={onClose}
        />
      )}
    </Modal>
  );
}
