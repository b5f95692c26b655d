package io.faultline.resolver.runbook;

import java.util.List;

/** The runbooks the engine acts on now ({@code RunbookCatalogue} in production, reloadable). */
public interface RunbooksInForce {

    List<Runbook> current();
}
