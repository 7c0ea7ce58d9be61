import { Button, Group, Stack } from '@mantine/core';
import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';

import { MutationError } from '@/components/mutation-error';

interface ModalFormProps {
  onSubmit: (event: FormEvent) => void;
  onCancel: () => void;
  /** The submit button: say what happens, e.g. "Create tenant". */
  submitLabel: string;
  submitting: boolean;
  /** The last refusal, explained above the buttons. */
  error?: unknown;
  /** The form's fields (field → label), whose errors show under the fields. */
  fields?: Record<string, string>;
  /** The current field errors: when they change, the first invalid field gets the focus. */
  errors?: Record<string, string | undefined>;
  onReload?: () => void;
  reloading?: boolean;
  /** Extra lines above the buttons, e.g. who created the record. */
  footer?: ReactNode;
  /** Read-only forms have only a "Close" button. */
  readOnly?: boolean;
  children: ReactNode;
}

/** The body of a create or edit modal: fields, the reason for a refusal, Cancel and submit. */
export function ModalForm({
  onSubmit,
  onCancel,
  submitLabel,
  submitting,
  error,
  fields,
  errors,
  onReload,
  reloading,
  footer,
  readOnly = false,
  children,
}: ModalFormProps) {
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (errors && Object.values(errors).some(Boolean)) {
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    }
  }, [errors]);

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        {children}
        <MutationError error={error} fields={fields} onReload={onReload} reloading={reloading} />
        {footer}
        <Group justify="flex-end" gap="sm" mt="xs">
          {readOnly ? (
            <Button variant="default" onClick={onCancel}>
              Close
            </Button>
          ) : (
            <>
              <Button variant="default" onClick={onCancel} disabled={submitting}>
                Cancel
              </Button>
              <Button type="submit" loading={submitting}>
                {submitLabel}
              </Button>
            </>
          )}
        </Group>
      </Stack>
    </form>
  );
}
