// Talks to the dashboard API. Every failure becomes an ApiError whose message says what to do.
import { fill, h, state } from './dom.js';

let csrfToken = null;

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
  get notAvailable() {
    return this.status === 404;
  }
}

export function setCsrfToken(token) {
  csrfToken = token;
}

async function request(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-Faultline-CSRF'] = csrfToken;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'The dashboard server did not answer. Check it is running, then reload.');
  }
  if (response.status === 401) {
    location.href = '/login.html';
    throw new ApiError(401, 'Your session ended; sign in again.');
  }
  let payload = null;
  try {
    payload = await response.json();
  } catch (e) {
    payload = null;
  }
  if (!response.ok) {
    // a rejected value is named in errors (the dashboard's and the impact-service's problems alike)
    const fields = payload && Array.isArray(payload.errors)
      ? payload.errors.map((e) => `${e.field} ${e.reason}`).join('; ')
      : '';
    const detail = fields || (payload && payload.detail ? payload.detail : `HTTP ${response.status}`);
    if (response.status === 403) throw new ApiError(403, `Not allowed: ${detail}`);
    if (response.status === 404) throw new ApiError(404, 'Not available from this impact-service (older version?)');
    if (response.status === 502) throw new ApiError(502, `Impact-service problem: ${detail}`);
    throw new ApiError(response.status, detail);
  }
  return payload;
}

export const api = {
  get: (path, params) => {
    const query = params ? new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')) : null;
    return request('GET', query && [...query].length ? `${path}?${query}` : path);
  },
  post: (path, body) => request('POST', path, body),
  del: (path) => request('DELETE', path),
};

/**
 * Fills the card from the loader's payload, or says why it cannot: an impact-service that does not
 * offer the path (an older version) is not an error of the dashboard.
 */
export async function loadInto(section, loader, render) {
  fill(section, state('loading', 'Loading…'));
  try {
    render(await loader());
  } catch (e) {
    // a refused request (a malformed search, 400) is the user's to correct: its message says how,
    // and advice to check the impact-service would send them the wrong way
    const refused = e instanceof ApiError && e.status >= 400 && e.status < 500 && !e.notAvailable;
    const hint = e instanceof ApiError && e.notAvailable
      ? 'This impact-service does not offer it yet; the rest of the dashboard works.'
      : 'Check the impact-service is up (GET /q/health/ready on the dashboard tells), then reload.';
    fill(section, state(e.notAvailable ? 'empty' : 'error', e.message, refused ? '' : h('p', { class: 'muted small' }, hint)));
  }
}
