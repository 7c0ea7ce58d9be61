import { useCallback, useState, type ChangeEvent, type FormEvent } from 'react';

type Errors<V> = Partial<Record<keyof V & string, string>>;

/**
 * A small form state: values, one error per field, and a submit that validates first.
 * Changing a field clears its error. Server-side field errors go in with `setErrors`.
 */
export function useForm<V extends Record<string, unknown>>(initial: V, validate?: (values: V) => Errors<V>) {
  const [values, setValues] = useState<V>(initial);
  const [errors, setErrorsState] = useState<Errors<V>>({});

  const setField = useCallback(<K extends keyof V & string>(key: K, value: V[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrorsState((e) => (e[key] ? { ...e, [key]: undefined } : e));
  }, []);

  const setErrors = useCallback((next: Record<string, string>) => setErrorsState(next as Errors<V>), []);

  const reset = useCallback((next: V) => {
    setValues(next);
    setErrorsState({});
  }, []);

  /** Props for a text input bound to `key`. */
  const text = <K extends keyof V & string>(key: K) => ({
    value: (values[key] ?? '') as string,
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setField(key, e.currentTarget.value as V[K]),
    error: errors[key],
  });

  /** Wraps the submit handler: prevents the page load, validates, then calls onValid. */
  const onSubmit = (onValid: (values: V) => void) => (event: FormEvent) => {
    event.preventDefault();
    const found = Object.fromEntries(Object.entries(validate?.(values) ?? {}).filter(([, m]) => !!m)) as Errors<V>;
    setErrorsState(found);
    if (Object.keys(found).length === 0) onValid(values);
  };

  return { values, errors, setField, setErrors, reset, text, onSubmit };
}

/** "is required" when s is blank. */
export function required(s: string | undefined | null, label: string): string | undefined {
  return s && s.trim() ? undefined : `${label} is required`;
}
