import * as Sentry from '@sentry/react';
import type { ReactNode } from 'react';

/**
 * What a boundary adds to its report: the tag {@code boundary} naming the part that failed, and
 * React's component stack as text in {@code contexts.react} (@sentry/react 9 and later send it only
 * as the frames of a linked "React ErrorBoundary" exception; the issue page shows both).
 */
export function reportAs(part: string) {
  return (scope: Sentry.Scope, _error: unknown, componentStack: string | undefined) => {
    scope.setTag('boundary', part);
    if (componentStack) {
      scope.setContext('react', { componentStack });
    }
  };
}

interface FallbackProps {
  part: string;
  title: string;
  error: unknown;
  eventId: string;
  resetError: () => void;
}

/**
 * What the user sees in place of a part that failed: what is missing, the reference support can
 * look the report up by (the event id on Faultline's issue page), and a way to try again.
 */
export function Fallback({ part, title, error, eventId, resetError }: FallbackProps) {
  return (
    <section className="fallback" role="alert" id={`${part}-fallback`}>
      <h2>{title}</h2>
      <p className="muted">{error instanceof Error ? error.message : 'Something went wrong.'}</p>
      {eventId && (
        <p className="muted small">
          Reference <code className="event-id">{eventId}</code>
        </p>
      )}
      <button type="button" onClick={resetError}>
        Try again
      </button>
    </section>
  );
}

/**
 * An error boundary around one part of the page: the rest of the page goes on working when it
 * fails, and the report says which part failed (tag {@code boundary}) and, from React, the
 * component stack down to the component that threw.
 */
export function Boundary({ part, title, children }: { part: string; title: string; children: ReactNode }) {
  return (
    <Sentry.ErrorBoundary
      beforeCapture={reportAs(part)}
      fallback={({ error, eventId, resetError }) => (
        <Fallback part={part} title={title} error={error} eventId={eventId} resetError={resetError} />
      )}
    >
      {children}
    </Sentry.ErrorBoundary>
  );
}
