import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter } from 'react-router';
import { I18nProvider } from './i18n/i18n';
import { App } from './App';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    // Catching up after a drop is the socket's job (realtime.tsx refetches when it is back): the browser's
    // `online` event says nothing about whether the server is reachable.
    queries: {
      staleTime: 30_000,
      refetchOnReconnect: false,
      retry: (count, error) => count < 2 && !(error instanceof Error && /\b(401|403|404)\b/.test(error.message)),
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </I18nProvider>
    </QueryClientProvider>
  </StrictMode>,
);
