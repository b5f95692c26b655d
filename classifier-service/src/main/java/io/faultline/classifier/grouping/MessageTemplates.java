package io.faultline.classifier.grouping;

/**
 * Turns a free-text message into the template it was printed from, so that messages differing
 * only in their variable parts (ids, numbers, hosts, paths…) share a group. Implementations learn
 * templates online and must keep a template's id stable while its text is refined.
 */
public interface MessageTemplates {

    /** The template of {@code message} within {@code scope} (a project: templates never cross projects). */
    Template templateOf(String scope, String message);

    /**
     * @param id stable identifier of the template cluster, usable as a group key
     * @param text the template as currently known, variable parts as {@code <*>}
     */
    record Template(String id, String text) {}
}
