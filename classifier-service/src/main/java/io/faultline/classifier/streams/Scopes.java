package io.faultline.classifier.streams;

/**
 * Keys of the project and workflow dimensions: {@code projectId} for a whole project,
 * {@code projectId/workflow} for one workflow in it (the key format of the traffic topic).
 */
final class Scopes {

    static final String SEPARATOR = "/";

    private Scopes() {}

    /** The workflow's scope, or the project's when the workflow is unknown. */
    static String of(String projectId, String workflow) {
        return workflow == null || workflow.isBlank() ? projectId : projectId + SEPARATOR + workflow;
    }

    static String projectId(String scope) {
        int cut = scope.indexOf(SEPARATOR);
        return cut < 0 ? scope : scope.substring(0, cut);
    }

    /** The workflow of a workflow scope; null for a project scope. */
    static String workflow(String scope) {
        int cut = scope.indexOf(SEPARATOR);
        return cut < 0 ? null : scope.substring(cut + 1);
    }
}
