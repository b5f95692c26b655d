package io.faultline.devstack.launcher;

/** Why {@code ./faultline} gives up: printed as {@code faultline: MESSAGE}, exit status 1 (2 for usage). */
final class LauncherException extends RuntimeException {

    private final int exitStatus;

    LauncherException(String message) {
        this(message, 1);
    }

    LauncherException(String message, int exitStatus) {
        super(message);
        this.exitStatus = exitStatus;
    }

    int exitStatus() {
        return exitStatus;
    }
}
