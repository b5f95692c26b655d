// Resolve in the next release, next to the group page's resolve (docs/releases.md): the group is
// resolved for every release after the one named (left empty: the latest it was seen in), and an
// event of a later release reopens it.
import { api } from '../api.js';
import { h, ago, field } from '../dom.js';

/**
 * Where the group's resolve in a release stands, from the group payload; '' when it has none.
 * @param {?import('./group.js').GroupDetail} detail
 */
export function releaseResolution(detail) {
  if (!detail || !detail.resolvedInRelease) return '';
  return h('p', { id: 'group-in-release', class: 'muted small' },
    `Resolved in the release after ${detail.resolvedInRelease}: `,
    detail.releaseShippedAt
      ? `a later release shipped ${ago(detail.releaseShippedAt)}; an event of it reopens the group.`
      : 'waiting for a later release to ship (until then it counts as open for time to resolve).');
}

/** The release input and its button; reports into {@code result} as the other actions do. */
export function resolveInReleaseControl({ groupId, projectId, noteInput, result }) {
  const release = h('input', { id: 'resolve-release', placeholder: 'default: the latest seen', size: 24 });
  const submit = async () => {
    result.textContent = 'resolve in next release…';
    const body = { action: 'resolve_in_release', projectId, note: noteInput.value };
    if (release.value.trim()) body.release = release.value.trim();
    try {
      const recorded = await api.post(`/api/v1/groups/${encodeURIComponent(groupId)}/actions`, body);
      result.textContent = `Recorded: resolved in the next release by ${recorded.actor} (audit entry ${recorded.entryId.slice(0, 8)}).`;
      result.className = 'ok';
    } catch (e) {
      result.textContent = e.message;
      result.className = 'alert';
    }
  };
  return h('span', { class: 'in-release' }, field('After release', release),
    h('button', { id: 'action-resolve-in-release', onclick: submit }, 'Resolve in next release'));
}
