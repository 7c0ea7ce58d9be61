import { Paper, Table, Text, VisuallyHidden } from '@mantine/core';

/** What the audit trail stores in place of personal data. */
export const redacted = '[redacted]';
/** What it stores, in an event's "after", for personal data the change altered. */
export const redactedChanged = '[redacted: changed]';

interface DiffRow {
  field: string;
  before: unknown;
  after: unknown;
  hasBefore: boolean;
  hasAfter: boolean;
  changed: boolean;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The rows of a before/after diff: one per field of either side, in the order first seen. */
export function diffRows(before: unknown, after: unknown): DiffRow[] {
  const hasBefore = before !== undefined && before !== null;
  const hasAfter = after !== undefined && after !== null;
  if (!hasBefore && !hasAfter) return [];
  // A record that is not an object (a list, a bare value) is one row.
  if ((hasBefore && !isRecord(before)) || (hasAfter && !isRecord(after))) {
    return [{ field: 'value', before, after, hasBefore, hasAfter, changed: !same(before, after) }];
  }
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return fields.map((field) => ({
    field,
    before: b[field],
    after: a[field],
    hasBefore: hasBefore && field in b,
    hasAfter: hasAfter && field in a,
    changed: !same(b[field], a[field]) || (field in b) !== (field in a),
  }));
}

function Value({ value, present }: { value: unknown; present: boolean }) {
  if (!present || value === undefined) {
    return (
      <Text span size="sm" c="dimmed">
        —
      </Text>
    );
  }
  if (value === redacted || value === redactedChanged) {
    return (
      <Text span size="sm" c="dimmed" fs="italic" title="Personal data is never kept in the audit trail">
        {value}
      </Text>
    );
  }
  if (value === null) {
    return (
      <Text span size="sm" c="dimmed" ff="monospace">
        null
      </Text>
    );
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return (
    <Text span size="sm" ff={typeof value === 'string' ? undefined : 'monospace'} style={{ overflowWrap: 'anywhere' }}>
      {text === '' ? '""' : text}
    </Text>
  );
}

interface ChangeDiffProps {
  before: unknown;
  after: unknown;
  /** The table's accessible name. */
  label?: string;
}

/**
 * A record before and after a change, field by field. Changed fields are highlighted (and say
 * so to screen readers); personal data reads "[redacted]", as the trail keeps it.
 */
export function ChangeDiff({ before, after, label = 'Changes' }: ChangeDiffProps) {
  const rows = diffRows(before, after);
  if (rows.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No record was changed.
      </Text>
    );
  }
  return (
    <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
      <Table.ScrollContainer minWidth={360} type="native">
        <Table aria-label={label} verticalSpacing={6} horizontalSpacing="sm" layout="fixed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col" w="28%">
                Field
              </Table.Th>
              <Table.Th scope="col">Before</Table.Th>
              <Table.Th scope="col">After</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.field} data-changed={r.changed || undefined} bg={r.changed ? 'var(--mantine-color-yellow-light)' : undefined}>
                <Table.Th scope="row" fw={r.changed ? 600 : 400}>
                  <Text span size="sm" ff="monospace" fw="inherit" style={{ overflowWrap: 'anywhere' }}>
                    {r.field}
                  </Text>
                  {r.changed && <VisuallyHidden> (changed)</VisuallyHidden>}
                </Table.Th>
                <Table.Td>
                  <Value value={r.before} present={r.hasBefore} />
                </Table.Td>
                <Table.Td>
                  <Value value={r.after} present={r.hasAfter} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
