import { useParams } from 'react-router';

import { SessionDetailPage } from '@/features/sessions/components/session-detail-page';
import { SessionsPage } from '@/features/sessions/components/sessions-page';

/** The Sessions page: impersonation sessions, live and ended. */
export function SessionsRoute() {
  return <SessionsPage />;
}

/** One session's timeline, `/sessions/:sessionId`. */
export function SessionDetailRoute() {
  const { sessionId = '' } = useParams();
  return <SessionDetailPage key={sessionId} sessionId={sessionId} />;
}
