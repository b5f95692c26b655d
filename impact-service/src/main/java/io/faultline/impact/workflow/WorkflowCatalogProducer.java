package io.faultline.impact.workflow;

import io.faultline.impact.config.WorkflowsConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/** Loads the workflows once, at startup, so a bad file stops the service with a clear message. */
@ApplicationScoped
public class WorkflowCatalogProducer {

    private static final Logger LOG = Logger.getLogger(WorkflowCatalogProducer.class);
    static final String BUNDLED = "workflows.yaml";

    @Produces
    @Singleton
    @Startup
    WorkflowCatalog catalog(WorkflowsConfig config) {
        WorkflowCatalog catalog =
                config.file().map(WorkflowCatalogProducer::fromFile).orElseGet(() -> bundled());
        double weights =
                catalog.workflows().stream().mapToDouble(Workflow::weight).sum();
        if (Math.abs(weights - 1.0) > 1e-6) {
            // not fatal: the health score divides by the sum of weights
            LOG.warnf("workflow weights sum to %.4f, not 1; the health score normalises by the sum", weights);
        }
        LOG.infof("loaded %d workflows", catalog.workflows().size());
        return catalog;
    }

    static WorkflowCatalog fromFile(String file) {
        Path path = Path.of(file);
        try (InputStream in = Files.newInputStream(path)) {
            return WorkflowFileParser.parse(in, path.toString());
        } catch (NoSuchFileException e) {
            throw new WorkflowFileParser.InvalidWorkflowFileException(
                    "workflows file " + file + " (faultline.workflows.file / FAULTLINE_WORKFLOWS_FILE) does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read workflows file " + file, e);
        }
    }

    static WorkflowCatalog bundled() {
        try (InputStream in = WorkflowCatalogProducer.class.getClassLoader().getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("bundled " + BUNDLED + " missing from the classpath");
            }
            return WorkflowFileParser.parse(in, "classpath:" + BUNDLED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
