import * as Sentry from '@sentry/react';
import { useCallback, useEffect, useState } from 'react';

export interface RetryOptions {
  /** attempts in all, the first included */
  attempts?: number;
  /** the wait after the first failure; doubled after each further one */
  backoffMs?: number;
}

export interface RetryingData<T> {
  data?: T;
  loading: boolean;
  /** the attempt that answered, or is running */
  attempt: number;
  /** loads anew, from the first attempt */
  reload: () => void;
}

interface State<T> {
  data?: T;
  error?: unknown;
  loading: boolean;
  attempt: number;
}

/**
 * Loads data, retrying a failed load with exponential backoff. Each failed attempt leaves a
 * breadcrumb, so the report of a later error tells what the page went through before it; when the
 * last attempt fails the error is thrown while rendering, for the nearest error boundary to show its
 * fallback and report it once (not once per attempt).
 */
export function useRetryingData<T>(
  key: string,
  load: () => Promise<T>,
  { attempts = 3, backoffMs = 250 }: RetryOptions = {},
): RetryingData<T> {
  const [state, setState] = useState<State<T>>({ loading: true, attempt: 1 });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      for (let attempt = 1; ; attempt += 1) {
        if (cancelled) return;
        setState({ loading: true, attempt });
        try {
          const data = await load();
          if (!cancelled) setState({ data, loading: false, attempt });
          return;
        } catch (error) {
          const last = attempt >= attempts;
          Sentry.addBreadcrumb({
            category: 'booking.data',
            level: last ? 'error' : 'warning',
            message: `${key}: attempt ${attempt} of ${attempts} failed (${describe(error)})${last ? '' : ', retrying'}`,
          });
          if (last) {
            if (!cancelled) setState({ error, loading: false, attempt });
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** (attempt - 1)));
        }
      }
    })();
    return () => {
      cancelled = true;
    };
    // load is the caller's closure, new on each render: the key says when the data is another
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, attempts, backoffMs, generation]);

  if (state.error !== undefined) {
    throw state.error;
  }
  return { data: state.data, loading: state.loading, attempt: state.attempt, reload };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
