import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import { BackgroundAlerts } from './alerts/BackgroundAlerts';
import { api } from './api/client';
import { clearSession, type Session } from './auth/session';
import { useI18n } from './i18n/i18n';
import { ProfileMenu } from './profile/ProfileMenu';
import { RealtimeProvider, useConnectionState } from './realtime/realtime';

export function Shell({ session, children }: { session: Session; children: ReactNode }) {
  const { t } = useI18n();
  async function logout() {
    // Revoke the token on the server first: a copy of it must stop working, not only this tab's.
    await api.POST('/auth/logout').catch(() => undefined);
    clearSession('logout');
  }
  return (
    <RealtimeProvider token={session.token}>
      <div className="shell">
        <header className="topbar">
          <strong className="brand">{t('app.title')}</strong>
          <nav>
            <NavLink to="/">{t('nav.inbox')}</NavLink>
            <NavLink to="/queue">{t('nav.queue')}</NavLink>
            <NavLink to="/settings/inboxes">{t('nav.inboxSettings')}</NavLink>
            <NavLink to="/simulator">{t('nav.simulator')}</NavLink>
            {session.agent.role === 'admin' && (
              <>
                <NavLink to="/settings/channels">{t('nav.channels')}</NavLink>
                <NavLink to="/agents">{t('nav.agents')}</NavLink>
                <NavLink to="/teams">{t('nav.teams')}</NavLink>
              </>
            )}
          </nav>
          <ConnectionBadge />
          <span className="spacer" />
          <BackgroundAlerts />
          <ProfileMenu session={session} />
          <button type="button" className="secondary" onClick={logout}>
            {t('nav.logout')}
          </button>
        </header>
        {children}
      </div>
    </RealtimeProvider>
  );
}

function ConnectionBadge() {
  const { t } = useI18n();
  const state = useConnectionState();
  if (state === 'connected') return <span className="conn conn-live">{t('conn.live')}</span>;
  return (
    <span className="conn conn-down" role="status">
      {t('conn.reconnecting')}
    </span>
  );
}
