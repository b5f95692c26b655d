package io.faultline.impact.sourcemap;

/** A source map or artifact bundle that cannot be read, with the reason for the uploader. */
public class InvalidSourceMapException extends RuntimeException {

    public InvalidSourceMapException(String reason) {
        super(reason);
    }
}
