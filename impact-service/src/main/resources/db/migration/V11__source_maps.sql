-- Faultline impact store, version 11: source maps as sentry-cli and the bundler plugins upload them
-- (docs/sourcemaps.md).

-- Chunks of an upload in progress, by the SHA-1 of their bytes (sentry-cli's chunk-upload protocol):
-- a bundle is assembled from them once all are here, then they are deleted; the retention purge
-- takes those of an upload that was never assembled.
CREATE TABLE sourcemap_chunks (
    checksum     CHAR(40)     PRIMARY KEY,
    uploaded_at  TIMESTAMPTZ  NOT NULL,
    data         BYTEA        NOT NULL
);
ALTER TABLE sourcemap_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
CREATE INDEX sourcemap_chunks_uploaded_at ON sourcemap_chunks (uploaded_at);

-- One row per assembled artifact bundle and project: a second assemble of the same bundle answers
-- "ok" without the chunks, as Sentry does.
CREATE TABLE artifact_bundles (
    project_id   VARCHAR(64)   NOT NULL,
    checksum     CHAR(40)      NOT NULL,
    release      VARCHAR(250),
    dist         VARCHAR(64),
    file_count   INT           NOT NULL,
    uploaded_at  TIMESTAMPTZ   NOT NULL,
    PRIMARY KEY (project_id, checksum)
);
CREATE INDEX artifact_bundles_uploaded_at ON artifact_bundles (uploaded_at);

-- The bundle's files (minified sources and their source maps), deflated. A frame finds its map by
-- debug id (the modern way: the SDK sends the id of the file that threw) or by the URL of its
-- minified file, preferring the event's release; both lookups are indexed per project.
CREATE TABLE source_files (
    project_id   VARCHAR(64)    NOT NULL,
    bundle       CHAR(40)       NOT NULL,
    url          VARCHAR(2048)  NOT NULL,
    kind         VARCHAR(32)    NOT NULL,
    debug_id     UUID,
    sourcemap    VARCHAR(2048),
    release      VARCHAR(250),
    uploaded_at  TIMESTAMPTZ    NOT NULL,
    content      BYTEA          NOT NULL,
    PRIMARY KEY (project_id, bundle, url)
);
ALTER TABLE source_files ALTER COLUMN content SET STORAGE EXTERNAL;
CREATE INDEX source_files_debug_id ON source_files (project_id, debug_id) WHERE debug_id IS NOT NULL;
CREATE INDEX source_files_url ON source_files (project_id, url);
CREATE INDEX source_files_uploaded_at ON source_files (uploaded_at);
