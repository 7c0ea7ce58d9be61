import { Group, NativeSelect, Pagination, Text } from '@mantine/core';
import { useEffect, useId } from 'react';

import { pageSizes } from '@/hooks/use-list-params';

interface ListFooterProps {
  /** What the list holds, plural, e.g. "tenants". */
  noun: string;
  page: number;
  pageSize: number;
  /** The total the server reported; undefined until it answered. */
  total: number | undefined;
  onPageChange: (page: number) => void;
  onPageSizeChange: (size: number) => void;
  /** Moves to the last page without a history entry when the page asked for no longer exists. */
  onClampPage: (page: number) => void;
}

/** Under a list: "26–50 of 120 tenants", rows per page and the page buttons. */
export function ListFooter({ noun, page, pageSize, total, onPageChange, onPageSizeChange, onClampPage }: ListFooterProps) {
  const pages = total === undefined ? 0 : Math.max(1, Math.ceil(total / pageSize));
  const sizeId = useId();

  useEffect(() => {
    if (total !== undefined && total > 0 && page > pages) onClampPage(pages);
  }, [total, page, pages, onClampPage]);

  if (total === undefined || total === 0) return null;
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(page * pageSize, total);

  return (
    <Group justify="space-between" gap="md" wrap="wrap">
      <Text size="sm" c="dimmed" aria-live="polite">
        {first > total ? `${total.toLocaleString()} ${noun}` : `${first.toLocaleString()}–${last.toLocaleString()} of ${total.toLocaleString()} ${noun}`}
      </Text>
      <Group gap="lg" wrap="wrap">
        <Group gap="xs" wrap="nowrap">
          <Text size="sm" c="dimmed" component="label" htmlFor={sizeId}>
            Rows per page
          </Text>
          <NativeSelect
            id={sizeId}
            size="xs"
            value={String(pageSize)}
            data={(pageSizes as readonly number[]).includes(pageSize) ? pageSizes.map(String) : [String(pageSize), ...pageSizes.map(String)]}
            onChange={(e) => onPageSizeChange(Number(e.currentTarget.value))}
          />
        </Group>
        {pages > 1 && (
          <nav aria-label={`Pages of ${noun}`}>
            <Pagination
              size="sm"
              total={pages}
              value={Math.min(page, pages)}
              onChange={onPageChange}
              withEdges={pages > 5}
              getItemProps={(p) => ({ 'aria-label': `Page ${p}` })}
              getControlProps={(control) => ({
                'aria-label': { first: 'First page', previous: 'Previous page', next: 'Next page', last: 'Last page' }[control],
              })}
            />
          </nav>
        )}
      </Group>
    </Group>
  );
}
