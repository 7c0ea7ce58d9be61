import { ActionIcon, Badge, Button, Group, Portal, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { useRef } from 'react';
import { useNavigate } from 'react-router';

import { friendlyError } from '@/components/error-message';
import { IconChevronDown, IconChevronUp, IconMinimise, IconSpy, IconStop } from '@/components/icons';
import { paths } from '@/config/paths';
import { modeLabel, useStopImpersonation, type Restriction } from '@/features/impersonation/api/impersonation';
import classes from '@/features/impersonation/components/impersonation-bar.module.css';
import { useBarView, type BarView } from '@/features/impersonation/hooks/use-bar-view';
import { useCountdown } from '@/features/impersonation/hooks/use-countdown';
import { useSessionSync } from '@/features/impersonation/hooks/use-session-sync';
import { isApiError } from '@/lib/api-error';
import { useCurrentUser, type Impersonation } from '@/lib/auth';
import { formatDateTime } from '@/lib/format';

/** The session's restrictions, in plain words. */
export const restrictionText: Record<Restriction, string> = {
  mask_personal_data: 'Contacts’ email addresses and phone numbers are masked.',
  export_disabled: 'Exports are switched off.',
  bound_to_footprint: 'Tied to this browser and network: using the session from anywhere else ends it.',
  tenant_admins_notified: 'The tenant’s admins see this access in their Access Log.',
};

const detailsId = 'impersonation-details';

function TimeLeft({ expiresAt }: { expiresAt: string }) {
  const { clock, minutes } = useCountdown(expiresAt);
  return (
    <>
      {/* The clock ticks every second for the eye; screen readers hear it once a minute. */}
      <Text size="sm" aria-hidden>
        Time left <span className={classes.clock}>{clock}</span>
      </Text>
      <VisuallyHidden aria-live="polite" aria-atomic>
        {minutes > 1 ? `${minutes} minutes left` : minutes === 1 ? 'Less than a minute left' : 'The session has reached its time limit'}
      </VisuallyHidden>
    </>
  );
}

/** How long before the idle timeout the bar warns. */
export const idleWarningMs = 2 * 60_000;

/** The time left before the idle timeout, while it is near and comes before the hard end; else null. */
function useIdleCountdown(session: Impersonation): string | null {
  const idleEnd = session.lastActivityAt && session.idleTimeoutSeconds ? new Date(session.lastActivityAt).getTime() + session.idleTimeoutSeconds * 1000 : NaN;
  const { clock, remainingMs } = useCountdown(Number.isNaN(idleEnd) ? session.expiresAt : new Date(idleEnd).toISOString());
  if (Number.isNaN(idleEnd) || idleEnd >= new Date(session.expiresAt).getTime() || remainingMs <= 0 || remainingMs > idleWarningMs) return null;
  return clock;
}

/**
 * The idle warning of the minimised bar: the countdown beside the button, so that a session
 * does not end unannounced because its bar was tucked away.
 */
function MinimisedIdleWarning({ session }: { session: Impersonation }) {
  const clock = useIdleCountdown(session);
  if (!clock) return null;
  return (
    <Text role="status" size="sm" className={classes.floatingWarning}>
      Idle: ends in <span className={classes.clock}>{clock}</span>
    </Text>
  );
}

/**
 * The idle timeout, shown only when it is near and comes before the hard end. Reading a long
 * page makes no request, and the session would otherwise end with "Time left" still high.
 */
function IdleWarning({ session }: { session: Impersonation }) {
  const clock = useIdleCountdown(session);
  if (!clock) return null;
  return (
    <div role="status">
      <Text size="sm" mt={4} aria-hidden>
        No activity for a while: the session ends in <span className={classes.clock}>{clock}</span> unless you open a page or save a change.
      </Text>
      <VisuallyHidden>The session ends in less than two minutes without activity. Open a page or save a change to keep it.</VisuallyHidden>
    </div>
  );
}

function Details({ session }: { session: Impersonation }) {
  return (
    <dl className={classes.details} id={detailsId}>
      <dt>Reason</dt>
      <dd>{session.reason || '—'}</dd>
      <dt>Started</dt>
      <dd>{formatDateTime(session.startedAt)}</dd>
      <dt>Ends at the latest</dt>
      <dd>{formatDateTime(session.expiresAt)}</dd>
      {session.idleTimeoutSeconds ? (
        <>
          <dt>Idle limit</dt>
          <dd>Ends after {Math.round(session.idleTimeoutSeconds / 60)} minutes without activity.</dd>
        </>
      ) : null}
      <dt>Session ID</dt>
      <dd className={classes.mono}>{session.id}</dd>
      <dt>Restrictions</dt>
      <dd>
        {session.restrictions.length === 0 ? (
          'None'
        ) : (
          <ul>
            {session.restrictions.map((r) => (
              <li key={r}>{restrictionText[r] ?? r}</li>
            ))}
          </ul>
        )}
      </dd>
    </dl>
  );
}

/**
 * The impersonation bar, on every page while impersonating (product.md 3.5): who is being
 * impersonated on which tenant, the mode, who is really acting, the time left and Stop. It has
 * three views, kept across pages and reloads: standard, detailed (reason, start, session id,
 * restrictions) and minimised (one floating button that brings it back). Renders nothing when
 * the person is not impersonating.
 *
 * The shell renders it on every page, always: it also keeps the tab in step with the session
 * (useSessionSync), so that a start, stop or end elsewhere shows here within seconds.
 */
export function ImpersonationBar() {
  useSessionSync();
  const me = useCurrentUser();
  const session = me.impersonation;
  const [view, setView] = useBarView();
  const stop = useStopImpersonation();
  const navigate = useNavigate();

  // Moving between views moves the focus along, so a keyboard user is never left nowhere: the
  // control that undoes the move takes it once it is on the page (the portal mounts later).
  const focusAfter = useRef<BarView | null>(null);
  const show = (next: BarView) => {
    focusAfter.current = next;
    setView(next);
  };
  const focusOn = (when: BarView) => (el: HTMLButtonElement | null) => {
    if (el && focusAfter.current === when) {
      focusAfter.current = null;
      el.focus();
    }
  };

  if (!session) return null;

  const onStop = () =>
    stop.mutate(undefined, {
      // Back where they started: the tenant's page in the console.
      onSuccess: () => navigate(paths.tenant(session.tenant.id), { replace: true }),
    });

  if (view === 'minimised') {
    // In a portal: the shell's header, where the bar lives, sits below the navigation's layer.
    return (
      <Portal>
      <div role="region" aria-label="Impersonation" className={classes.floating}>
        <Tooltip label={`Impersonating ${session.tenant.name}: show the bar`} position="top-start" withArrow>
          <ActionIcon
            ref={focusOn('minimised')}
            size={48}
            radius="xl"
            className={classes.floatingButton}
            aria-label="Show impersonation bar"
            aria-expanded={false}
            onClick={() => show('standard')}
          >
            <IconSpy size={24} />
          </ActionIcon>
        </Tooltip>
        <MinimisedIdleWarning session={session} />
      </div>
      </Portal>
    );
  }

  const detailed = view === 'detailed';
  const stopRefused = stop.error && !isApiError(stop.error, 'not_impersonating') ? friendlyError(stop.error) : null;

  return (
    <div role="region" aria-label="Impersonation" className={classes.bar}>
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Group gap="md" wrap="wrap" className={classes.summary} style={{ rowGap: 4 }}>
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <IconSpy size={22} style={{ flexShrink: 0 }} />
            <Text className={classes.sentence} size="sm">
              You are currently impersonating {session.principal.name} on tenant {session.tenant.name}
            </Text>
          </Group>
          <Badge className={classes.badge} radius="sm">
            {modeLabel[session.mode]}
          </Badge>
          <Text size="sm">by {session.actor.name}</Text>
          <TimeLeft expiresAt={session.expiresAt} />
        </Group>
        <Group gap="xs" wrap="nowrap">
          <Button
            size="compact-sm"
            variant="outline"
            color="white"
            aria-expanded={detailed}
            aria-controls={detailsId}
            rightSection={detailed ? <IconChevronUp size={14} /> : <IconChevronDown size={14} />}
            onClick={() => setView(detailed ? 'standard' : 'detailed')}
          >
            Details
          </Button>
          <Tooltip label="Minimise" withArrow>
            <ActionIcon
              ref={focusOn('standard')}
              variant="outline"
              color="white"
              size={26}
              aria-label="Minimise impersonation bar"
              onClick={() => show('minimised')}
            >
              <IconMinimise size={16} />
            </ActionIcon>
          </Tooltip>
          <Button
            size="compact-sm"
            variant="white"
            color="orange.9"
            leftSection={<IconStop size={14} />}
            aria-label="Stop impersonating"
            loading={stop.isPending}
            onClick={onStop}
          >
            Stop
          </Button>
        </Group>
      </Group>
      {detailed && <Details session={session} />}
      <IdleWarning session={session} />
      {stopRefused && (
        <Text size="sm" role="alert" mt={4}>
          The impersonation did not stop: {stopRefused.message || stopRefused.title} Try Stop again.
        </Text>
      )}
    </div>
  );
}
