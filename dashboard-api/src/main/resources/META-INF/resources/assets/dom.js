// A tiny element builder: text always goes in as text, never as HTML.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, value);
  append(el, children);
  return el;
}

export function ago(millis) {
  if (!millis) return '—';
  const t = typeof millis === 'number' ? millis : Date.parse(millis);
  if (Number.isNaN(t)) return String(millis);
  const s = Math.max(0, Math.round((Date.now() - t) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  if (s < 86400) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86400)}d ago`;
}

/** Dollars; cents below $100, where they are much of the figure ($0.05 lost is not $0 lost). */
export function money(value) {
  const n = Number(value || 0);
  const digits = Math.abs(n) < 100 ? 2 : 0;
  return n.toLocaleString(undefined, { style: 'currency', currency: 'USD', minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** "1 event", "3 events": a count with its noun in the number English needs. */
export function count(n, noun, plural = `${noun}s`) {
  return `${n} ${Number(n) === 1 ? noun : plural}`;
}

/**
 * A fraction (0.03) as a percentage ("3.00%"). Null means the server had nothing to compute it
 * from: that is "—", never 0 %.
 */
export function percent(value) {
  if (value === null || value === undefined) return '—';
  const n = Number(value);
  if (!Number.isFinite(n)) return '—';
  const p = n * 100;
  // near 0 % and just under 100 % the second decimal is the difference (99.99 % is not 100 %)
  return `${p.toFixed(Math.abs(p) < 10 || (p > 99 && p < 100) ? 2 : 1)}%`;
}

/** A card's body while loading, when empty, or when its source failed, with the next step. */
export function state(kind, text, ...extra) {
  return h('div', { class: `state state-${kind}` }, h('p', {}, text), ...extra);
}

/** A dashboard card: a titled section whose body the views fill. */
export function card(id, title, ...body) {
  return h('section', { class: 'card', id }, h('h2', {}, title), h('div', { class: 'card-body' }, ...body));
}

/** Replaces what a card shows. */
export function fill(section, ...content) {
  section.querySelector('.card-body').replaceChildren(...content);
}

/**
 * A form control with its label, a real <label> around it. {@code hidden}: the text is for screen
 * readers only, where the control's place in a compact bar already says what it is to the eye.
 */
export function field(text, control, { hidden = false, className = '' } = {}) {
  return h('label', { class: `field ${className}`.trim() },
    h('span', { class: hidden ? 'visually-hidden' : 'muted small' }, text), control);
}
