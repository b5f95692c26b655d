package io.faultline.resolver.strategy;

/** The cluster operations runbooks may ask for; an interface so tests need no cluster. */
public interface ClusterClient {

    /** What {@code kubectl rollout restart} does: bump the pod template's restart annotation. */
    String rolloutRestart(String namespace, String deployment) throws Exception;

    String scale(String namespace, String deployment, int replicas) throws Exception;
}
