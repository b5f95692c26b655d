// The label vocabulary the page offers in its filters and relabel controls. It is defined once, in
// schemas' Vocabulary (Java), and served by the dashboard; the page holds no copy of it.
import { api } from './api.js';

/**
 * @typedef {object} Vocabulary GET /api/v1/vocabulary, dashboard-api's VocabularyResource.VocabularyView
 * @property {string[]} severities
 * @property {string[]} categories
 * @property {string[]} businessImpacts
 * @property {string[]} groupStatuses
 * @property {string[]} signalKinds
 */

let loading = null;

/**
 * The vocabulary, fetched once per page load (the browser's cache keeps it across loads). A failed
 * fetch is not kept: the next view to ask tries again.
 * @returns {Promise<Vocabulary>}
 */
export function vocabulary() {
  if (!loading) {
    loading = api.get('/api/v1/vocabulary').catch((e) => {
      loading = null;
      throw e;
    });
  }
  return loading;
}
