package io.faultline.dashboard.rest;

import io.faultline.dashboard.security.PasswordHasher;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** One user per role, with known passwords, for the tests that log in. */
public class TestUsers implements QuarkusTestResourceLifecycleManager {

    public static final String PASSWORD = "correct horse battery staple";

    @Override
    public Map<String, String> start() {
        String hash = PasswordHasher.hash(PASSWORD);
        return Map.of(
                "faultline.users.vera.password-hash",
                hash,
                "faultline.users.vera.role",
                "viewer",
                "faultline.users.otto.password-hash",
                hash,
                "faultline.users.otto.role",
                "operator",
                "faultline.admin-user",
                "ada",
                "faultline.admin-password",
                PASSWORD);
    }

    @Override
    public void stop() {}
}
