import { Paper, Skeleton, Table, UnstyledButton, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';

import classes from '@/components/data-table.module.css';
import { ErrorPanel } from '@/components/error-panel';
import { IconChevronDown, IconChevronUp, IconSelector } from '@/components/icons';

/** One column of a {@link DataTable}. */
export interface DataTableColumn<T> {
  key: string;
  /** The header text; also the sort button's name. */
  header: string;
  render: (row: T) => ReactNode;
  /** The server's sort key; makes the header a sort button. */
  sortKey?: string;
  /** Keeps the header for screen readers only (e.g. the actions column). */
  hideHeader?: boolean;
  width?: number | string;
  align?: 'left' | 'right';
}

interface DataTableProps<T> {
  /** The table's accessible name, e.g. "Tenants". */
  label: string;
  columns: DataTableColumn<T>[];
  rows: T[] | undefined;
  rowKey: (row: T) => string;
  /** True until the first answer: shows skeleton rows. */
  loading: boolean;
  /** True while a newer answer is on its way: the rows shown are dimmed. */
  fetching?: boolean;
  error?: unknown;
  onRetry?: () => void;
  /** The sort in effect: `name` or `-name`. */
  sort?: string;
  onSortChange?: (sort: string) => void;
  /** Shown instead of the rows when there are none. */
  empty: ReactNode;
  skeletonRows?: number;
}

function sortState(sort: string | undefined, key: string): 'ascending' | 'descending' | 'none' {
  if (sort === key) return 'ascending';
  if (sort === `-${key}`) return 'descending';
  return 'none';
}

/**
 * The console's table: sortable headers (buttons, with `aria-sort` on the header cell), skeleton
 * rows while loading, a friendly error with "Try again", and an empty state.
 */
export function DataTable<T>({
  label,
  columns,
  rows,
  rowKey,
  loading,
  fetching = false,
  error,
  onRetry,
  sort,
  onSortChange,
  empty,
  skeletonRows = 5,
}: DataTableProps<T>) {
  if (error && !rows) return <ErrorPanel error={error} onRetry={onRetry} />;
  const busy = loading || (fetching && !!rows);

  return (
    <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
      <Table.ScrollContainer minWidth={640} type="native">
        <Table
          aria-label={label}
          aria-busy={busy || undefined}
          className={classes.table}
          data-fetching={fetching && !!rows ? true : undefined}
          verticalSpacing="sm"
          horizontalSpacing="md"
          highlightOnHover
        >
          <Table.Thead>
            <Table.Tr>
              {columns.map((col) => {
                const state = col.sortKey ? sortState(sort, col.sortKey) : undefined;
                return (
                  <Table.Th
                    key={col.key}
                    className={classes.th}
                    w={col.width}
                    ta={col.align}
                    aria-sort={state}
                    scope="col"
                  >
                    {col.hideHeader ? (
                      <VisuallyHidden>{col.header}</VisuallyHidden>
                    ) : col.sortKey && onSortChange ? (
                      <UnstyledButton
                        className={classes.sortButton}
                        data-active={state !== 'none' || undefined}
                        onClick={() => onSortChange(state === 'ascending' ? `-${col.sortKey}` : col.sortKey!)}
                      >
                        {col.header}
                        <span className={classes.sortIcon}>
                          {state === 'ascending' ? (
                            <IconChevronUp size={14} />
                          ) : state === 'descending' ? (
                            <IconChevronDown size={14} />
                          ) : (
                            <IconSelector size={14} />
                          )}
                        </span>
                      </UnstyledButton>
                    ) : (
                      col.header
                    )}
                  </Table.Th>
                );
              })}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {loading && !rows
              ? Array.from({ length: skeletonRows }, (_, i) => (
                  <Table.Tr key={`skeleton-${i}`} aria-hidden>
                    {columns.map((col) => (
                      <Table.Td key={col.key}>
                        <Skeleton height={12} radius="sm" width={col.hideHeader ? 24 : `${60 + ((i * 17 + col.key.length * 7) % 35)}%`} />
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))
              : rows?.map((row) => (
                  <Table.Tr key={rowKey(row)}>
                    {columns.map((col) => (
                      <Table.Td key={col.key} ta={col.align}>
                        {col.render(row)}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
            {rows && rows.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={columns.length} py="xl">
                  {empty}
                </Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
