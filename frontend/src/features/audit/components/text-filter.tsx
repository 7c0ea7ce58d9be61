import { CloseButton, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';

interface TextFilterProps {
  label: string;
  /** The value in effect (from the URL). */
  value: string;
  /** Called with the trimmed text once typing pauses, or at once on Enter. */
  onChange: (value: string) => void;
  placeholder?: string;
  /** Why the server refused the value. */
  error?: string;
  w?: number;
}

/** A free-text filter that applies once typing pauses; Escape or × clears it. */
export function TextFilter({ label, value, onChange, placeholder, error, w = 200 }: TextFilterProps) {
  const [text, setText] = useState(value);
  const sent = useRef(value);
  // A different value from elsewhere (back button, a link, "clear filters") replaces the text.
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
  const debounced = useDebouncedCallback(send, 400);
  const clear = () => {
    debounced.cancel();
    setText('');
    send('');
  };

  return (
    <TextInput
      label={label}
      placeholder={placeholder}
      error={error}
      value={text}
      spellCheck={false}
      autoComplete="off"
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
      rightSection={text ? <CloseButton size="sm" aria-label={`Clear ${label.toLowerCase()}`} onClick={clear} /> : null}
      w={{ base: '100%', sm: w }}
    />
  );
}
