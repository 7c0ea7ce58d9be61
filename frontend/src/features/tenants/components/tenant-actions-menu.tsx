import { RowActionsMenu, type RowAction } from '@/components/row-actions-menu';
import { paths } from '@/config/paths';
import type { Tenant } from '@/features/tenants/api/tenants';
import { useCan } from '@/lib/permissions';

/** The two ways into a tenant (product.md 3.2). */
export type ImpersonationMode = 'support' | 'configure';

/** What the actions menu asks its owner to do. */
export type TenantAction = 'rename' | 'suspend' | 'reactivate';

interface TenantActionsMenuProps {
  tenant: Tenant;
  onAction: (action: TenantAction, tenant: Tenant) => void;
  /**
   * Starts an impersonation. Without it the menu offers none; with it, it offers exactly the
   * modes the server says this caller may start on this tenant now (`canImpersonate`).
   */
  onImpersonate?: (tenant: Tenant, mode: ImpersonationMode) => void;
  /** Leave out "Open" (on the tenant's own page). */
  withOpen?: boolean;
}

/**
 * The ⋮ menu of one tenant, in the list and on its page. Every entry the menu can show is
 * decided here, from the caller's permissions and the tenant's state.
 */
export function TenantActionsMenu({ tenant, onAction, onImpersonate, withOpen = true }: TenantActionsMenuProps) {
  const can = useCan();
  const actions: RowAction[] = [];

  if (withOpen) actions.push({ key: 'open', label: 'Open', to: paths.tenant(tenant.id) });
  if (can(tenant.kind === 'partner' ? 'partners:update' : 'tenants:update')) {
    actions.push({ key: 'rename', label: 'Rename', onClick: () => onAction('rename', tenant) });
  }
  if (can('tenants:suspend')) {
    actions.push(
      tenant.status === 'active'
        ? { key: 'suspend', label: 'Suspend', danger: true, onClick: () => onAction('suspend', tenant) }
        : { key: 'reactivate', label: 'Reactivate', onClick: () => onAction('reactivate', tenant) },
    );
  }

  if (onImpersonate) {
    const modes: [ImpersonationMode, string][] = [
      ['support', 'Impersonate & Support'],
      ['configure', 'Impersonate & Configure'],
    ];
    const offered = modes.filter(([mode]) => tenant.canImpersonate[mode]);
    offered.forEach(([mode, label], i) =>
      actions.push({ key: `impersonate-${mode}`, label, dividerBefore: i === 0 && actions.length > 0, onClick: () => onImpersonate(tenant, mode) }),
    );
  }

  return <RowActionsMenu label={`Actions for ${tenant.name}`} actions={actions} />;
}
