import { CloseButton, Kbd, TextInput } from '@mantine/core';
import { useDebouncedCallback, useHotkeys } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';

import { IconSearch } from '@/components/icons';
import classes from '@/components/search-input.module.css';

interface SearchInputProps {
  /** The search in effect (from the URL). */
  value: string;
  /** Called with the trimmed text once typing pauses, or at once on Enter. */
  onChange: (value: string) => void;
  /** The accessible name, e.g. "Search tenants". */
  label: string;
  placeholder?: string;
  /** Milliseconds of quiet before searching. */
  delay?: number;
}

/**
 * A search box that waits for a pause in typing before searching. "/" focuses it from anywhere
 * on the page, Enter searches at once and Escape clears it.
 */
export function SearchInput({ value, onChange, label, placeholder, delay = 300 }: SearchInputProps) {
  const [text, setText] = useState(value);
  const inputRef = useRef<HTMLInputElement>(null);
  // The last value this box sent: a different `value` came from elsewhere (back button, a link,
  // "clear filters") and replaces what is shown.
  const sent = useRef(value);
  useEffect(() => {
    if (value !== sent.current) {
      sent.current = value;
      setText(value);
    }
  }, [value]);

  const send = (next: string) => {
    const trimmed = next.trim();
    if (trimmed === sent.current) return;
    sent.current = trimmed;
    onChange(trimmed);
  };
  const debounced = useDebouncedCallback(send, delay);
  useHotkeys([['/', () => inputRef.current?.focus()]]);

  const clear = () => {
    debounced.cancel();
    setText('');
    send('');
    inputRef.current?.focus();
  };

  return (
    <TextInput
      ref={inputRef}
      type="search"
      classNames={{ input: classes.input }}
      aria-label={label}
      placeholder={placeholder ?? `${label}…`}
      value={text}
      onChange={(e) => {
        setText(e.currentTarget.value);
        debounced(e.currentTarget.value);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          debounced.cancel();
          send(text);
        } else if (e.key === 'Escape' && text) {
          e.preventDefault();
          clear();
        }
      }}
      leftSection={<IconSearch size={16} />}
      rightSection={
        text ? (
          <CloseButton size="sm" aria-label="Clear search" onClick={clear} />
        ) : (
          <Kbd size="xs" aria-hidden title="Press / to search">
            /
          </Kbd>
        )
      }
      w={{ base: '100%', sm: 300 }}
    />
  );
}
