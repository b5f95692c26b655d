package io.faultline.examples.booking.reporting;

import java.net.URI;

/** The parts of a Sentry DSN ({@code http://KEY@HOST:PORT/PROJECT}) the traffic report needs too. */
public record Dsn(String baseUrl, String publicKey, String projectId) {

    public static Dsn parse(String dsn) {
        URI uri = URI.create(dsn);
        String key = uri.getUserInfo();
        String path = uri.getPath();
        if (key == null || path == null || path.length() < 2) {
            throw new IllegalArgumentException("not a DSN (http://KEY@HOST:PORT/PROJECT): " + dsn);
        }
        String project = path.substring(path.lastIndexOf('/') + 1);
        String prefix = path.substring(0, path.lastIndexOf('/'));
        String base = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + prefix;
        return new Dsn(base, key.contains(":") ? key.substring(0, key.indexOf(':')) : key, project);
    }
}
