import * as Sentry from '@sentry/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { Fallback, reportAs } from './Boundary';
import { config } from './config';
import './styles.css';

Sentry.init({
  dsn: config.dsn || undefined,
  release: config.release,
  environment: config.environment,
  // the default integrations leave breadcrumbs of clicks, console output, fetches and navigation
  initialScope: { tags: { app: 'booking-web', flow: 'booking' } },
});
// a pseudonymous visitor id, so that the issue page can count the users a failure affects
Sentry.setUser({ id: visitorId() });

createRoot(document.getElementById('root')!, {
  // what no boundary caught, and what React recovered from by itself
  onUncaughtError: Sentry.reactErrorHandler(),
  onRecoverableError: Sentry.reactErrorHandler(),
}).render(
  <StrictMode>
    <Sentry.ErrorBoundary
      beforeCapture={reportAs('page')}
      fallback={({ error, eventId, resetError }) => (
        <main>
          <Fallback part="page" title="Booking is unavailable" error={error} eventId={eventId} resetError={resetError} />
        </main>
      )}
    >
      <App />
    </Sentry.ErrorBoundary>
  </StrictMode>,
);

function visitorId(): string {
  const key = 'booking-web.visitor';
  try {
    let id = localStorage.getItem(key);
    if (!id) {
      id = `visitor-${crypto.randomUUID()}`;
      localStorage.setItem(key, id);
    }
    return id;
  } catch {
    // storage refused (private mode, a sandboxed frame): one id for this page view
    return `visitor-${Math.random().toString(36).slice(2)}`;
  }
}
