/**
 * Fingerprinting: which group an error event belongs to, and why.
 *
 * <p>Modelled on Sentry's grouping ({@code getsentry/sentry src/sentry/grouping}): {@link
 * io.faultline.classifier.grouping.fingerprint.Fingerprinter} asks a fixed list of named {@link
 * io.faultline.classifier.grouping.fingerprint.GroupingStrategy strategies} in order (operator rules,
 * the SDK's fingerprint, the exception chain, the message template, a fallback) and the first that
 * contributes decides. A strategy contributes readable {@code name=value} components; the group id
 * is a hash of the project, the strategy and those components, so the components are the complete
 * answer to "why were these two events grouped?".
 *
 * <p>Choices that differ from, or go beyond, Sentry's defaults:
 *
 * <ul>
 *   <li>frames are {@code module.function} only, never line or column, never context lines;
 *   <li>at most {@value io.faultline.classifier.grouping.fingerprint.Fingerprinter#DEFAULT_MAX_FRAMES}
 *       frames per exception (those nearest the crash) count;
 *   <li>{@code {{ default }}} expands to the default group's hash followed by its components, so a
 *       refined group still explains itself;
 *   <li>group ids include the project: groups never cross projects.
 * </ul>
 */
package io.faultline.classifier.grouping.fingerprint;
