package io.faultline.dashboard.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * The dashboard's users, from configuration: {@code faultline.users.<name>.password-hash} and
 * {@code faultline.users.<name>.role} (viewer, operator, admin; default viewer), plus one initial
 * admin from the environment ({@code FAULTLINE_ADMIN_USER} with {@code
 * FAULTLINE_ADMIN_PASSWORD_HASH}, or a plain {@code FAULTLINE_ADMIN_PASSWORD} that is hashed here at
 * start and never kept).
 */
@ApplicationScoped
public class UserDirectory {

    private static final Logger LOG = Logger.getLogger(UserDirectory.class);
    private static final String PREFIX = "faultline.users.";

    /** The hash checked for unknown names, so a wrong name costs as long as a wrong password. */
    private static final String DECOY = PasswordHasher.hash("decoy-" + System.nanoTime());

    private record Account(String passwordHash, Role role) {}

    private final Map<String, Account> accounts = new HashMap<>();

    public UserDirectory(Config config) {
        for (String property : config.getPropertyNames()) {
            if (property.startsWith(PREFIX) && property.endsWith(".password-hash")) {
                String name = property.substring(PREFIX.length(), property.length() - ".password-hash".length());
                String hash = config.getValue(property, String.class);
                Role role = config.getOptionalValue(PREFIX + name + ".role", String.class)
                        .map(Role::parse)
                        .orElse(Role.VIEWER);
                add(name, hash, role);
            }
        }
        Optional<String> admin =
                config.getOptionalValue("faultline.admin-user", String.class).filter(s -> !s.isBlank());
        if (admin.isPresent()) {
            Optional<String> hash = config.getOptionalValue("faultline.admin-password-hash", String.class)
                    .filter(s -> !s.isBlank())
                    .or(() -> config.getOptionalValue("faultline.admin-password", String.class)
                            .filter(s -> !s.isBlank())
                            .map(PasswordHasher::hash));
            hash.ifPresentOrElse(
                    h -> add(admin.get(), h, Role.ADMIN),
                    () -> LOG.warnf("FAULTLINE_ADMIN_USER=%s has no password; that user cannot log in", admin.get()));
        }
        if (accounts.isEmpty()) {
            LOG.warn("no dashboard users configured: only bearer-token callers get in"
                    + " (set FAULTLINE_ADMIN_USER and FAULTLINE_ADMIN_PASSWORD)");
        }
    }

    private void add(String name, String hash, Role role) {
        if (!PasswordHasher.isHash(hash)) {
            LOG.warnf("user %s: password-hash is not a %s hash; ignored", name, PasswordHasher.SCHEME);
            return;
        }
        accounts.put(name, new Account(hash, role));
    }

    /** The user's role if the password is right. */
    public Optional<Role> authenticate(String name, String password) {
        Account account = name == null ? null : accounts.get(name);
        boolean ok = PasswordHasher.matches(password, account == null ? DECOY : account.passwordHash());
        return ok && account != null ? Optional.of(account.role()) : Optional.empty();
    }

    /** Whether the name still exists with that role, so a session outlives a config change no further. */
    public boolean stillHas(String name, Role role) {
        Account account = accounts.get(name);
        return account != null && account.role() == role;
    }
}
