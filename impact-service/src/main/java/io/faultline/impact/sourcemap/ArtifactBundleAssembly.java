package io.faultline.impact.sourcemap;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * sentry-cli's assemble step: once every chunk of a bundle is uploaded, the bundle is joined,
 * checked against its SHA-1, unpacked and its files stored for each project. Assembly is done
 * within the request, so the first answer is already final ({@code ok}); sentry-cli polls only
 * while the state is {@code created} or {@code assembling}.
 */
@ApplicationScoped
public class ArtifactBundleAssembly {

    private static final Logger LOG = Logger.getLogger(ArtifactBundleAssembly.class);

    /** The assemble answer as Sentry's API writes it. */
    public record State(String state, List<String> missingChunks, String detail) {
        static State ok() {
            return new State("ok", List.of(), null);
        }
    }

    private final SourceFileStore store;
    private final ObjectMapper json;
    private final SourceMapConfig config;

    public ArtifactBundleAssembly(SourceFileStore store, ObjectMapper json, SourceMapConfig config) {
        this.store = store;
        this.json = json;
        this.config = config;
    }

    public Uni<State> assemble(
            String checksum, List<String> chunks, List<String> projects, String release, String dist) {
        return store.bundleStored(projects, checksum).chain(stored -> {
            if (stored) {
                return store.renew(projects, checksum).replaceWith(State.ok());
            }
            return store.presentChunks(chunks).chain(present -> {
                List<String> missing = missing(chunks, present);
                if (!missing.isEmpty()) {
                    return Uni.createFrom().item(new State("not_found", missing, null));
                }
                return store.chunks(chunks).chain(parts -> {
                    byte[] zip = join(parts);
                    if (zip == null) {
                        // a concurrent assemble of the same bundle took the chunks: it stored the bundle
                        return store.bundleStored(projects, checksum)
                                .map(done -> done ? State.ok() : new State("not_found", chunks, null));
                    }
                    if (!sha1(zip).equals(checksum)) {
                        return Uni.createFrom()
                                .item(new State(
                                        "error", List.of(), "the chunks do not add up to the checksum " + checksum));
                    }
                    ArtifactBundle bundle;
                    try {
                        bundle = ArtifactBundle.read(zip, json, config.maxBundleUnpacked());
                    } catch (InvalidSourceMapException e) {
                        return Uni.createFrom()
                                .item(new State("error", List.of(), "invalid artifact bundle: " + e.getMessage()));
                    }
                    LOG.infof(
                            "artifact bundle %s: %d file(s) for project(s) %s, release %s",
                            checksum, bundle.files().size(), projects, release != null ? release : bundle.release());
                    return store.storeBundle(projects, checksum, release, dist, bundle, chunks)
                            .replaceWith(State.ok());
                });
            });
        });
    }

    private static List<String> missing(List<String> chunks, Set<String> present) {
        List<String> missing = new ArrayList<>();
        for (String c : chunks) {
            if (!present.contains(c) && !missing.contains(c)) {
                missing.add(c);
            }
        }
        return missing;
    }

    private static byte[] join(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            if (p == null) {
                return null;
            }
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static String sha1(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }
}
