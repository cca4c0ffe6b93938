import { lazy, Suspense, useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Route, Routes } from 'react-router';
import { useSession } from './auth/session';
import { LoginPage } from './auth/LoginPage';
import { Shell } from './Shell';
import { InboxPage } from './inbox/InboxPage';
import { QueuePage } from './queue/QueuePage';
import { InboxSettingsPage } from './settings/InboxSettingsPage';
import { SimulatorPage } from './simulator/SimulatorPage';
import { AgentsPage } from './people/AgentsPage';
import { TeamsPage } from './people/TeamsPage';

// Admin screens load when opened: agents never download them, and the first page stays small.
const ChannelsPage = lazy(() => import('./channels/ChannelsPage').then((m) => ({ default: m.ChannelsPage })));

export function App() {
  const session = useSession();
  const queryClient = useQueryClient();
  // Nothing one agent saw may linger for the next one in this tab.
  useEffect(() => {
    if (!session) queryClient.clear();
  }, [session, queryClient]);
  if (!session) return <LoginPage />;
  return (
    <Shell session={session}>
      <Routes>
        <Route path="/simulator" element={<SimulatorPage />} />
        {session.agent.role === 'admin' && <Route path="/agents" element={<AgentsPage />} />}
        {session.agent.role === 'admin' && <Route path="/teams" element={<TeamsPage />} />}
        <Route
          path="/settings/channels"
          element={
            <Suspense fallback={null}>
              <ChannelsPage />
            </Suspense>
          }
        />
        <Route path="/queue" element={<QueuePage />} />
        <Route path="/settings/inboxes/:channelId?" element={<InboxSettingsPage />} />
        <Route path="/conversations/:conversationId" element={<InboxPage />} />
        <Route path="*" element={<InboxPage />} />
      </Routes>
    </Shell>
  );
}
