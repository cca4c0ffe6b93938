import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { LanguageSwitch, useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/en';
import { lastEndReason, setSession } from './session';

export function LoginPage() {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ key: MessageKey; status?: number } | null>(lastEndReason() === 'expired' ? { key: 'login.expired' } : null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { data, response } = await api.POST('/auth/login', { body: { email, password } });
      if (data) {
        setSession({ token: data.token, expiresAt: data.expiresAt, agent: data.agent });
        return;
      }
      const key: MessageKey =
        response.status === 401 ? 'login.wrong' : response.status === 429 ? 'login.locked' : response.status === 403 ? 'login.disabled' : 'login.failed';
      setError({ key, status: response.status });
    } catch {
      setError({ key: 'login.failed', status: 0 });
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title">
        <div className="login-head">
          <h1 id="login-title">{t('login.title')}</h1>
          <LanguageSwitch />
        </div>
        <label>
          {t('login.email')}
          <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          {t('login.password')}
          <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && (
          <p role="alert" className="error">
            {t(error.key, { status: error.status ?? '' })}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
    </main>
  );
}
