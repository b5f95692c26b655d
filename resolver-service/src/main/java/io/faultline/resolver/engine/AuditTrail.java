package io.faultline.resolver.engine;

import java.util.concurrent.CompletionStage;

/** Where audit entries go; completes when the entry is durably stored. */
public interface AuditTrail {

    CompletionStage<Void> record(AuditEntry entry);
}
