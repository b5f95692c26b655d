package io.faultline.impact.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * During a rolling upgrade the old impact-service pods keep running against the schema the first
 * new pod migrated (Flyway, at start). A migration may therefore only expand the schema: add
 * tables, nullable columns or columns with a default, indexes. A statement that would break the
 * running old version (drop or rename a table or column, change a column's type, make it NOT
 * NULL, add a NOT NULL column without a default) must say, in a {@code -- contract:} comment just
 * above it, which release stopped using what it removes; it ships only after that release has
 * rolled out everywhere (docs/operations.md, "Database migrations").
 */
class MigrationSafetyTest {

    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");

    /** Checked against each clause of a statement: an ALTER TABLE's clauses are comma-separated. */
    private static final List<Pattern> CONTRACTING = List.of(
            Pattern.compile("(?is)\\bDROP\\s+(TABLE|VIEW|MATERIALIZED\\s+VIEW|COLUMN|CONSTRAINT|SCHEMA|TYPE)\\b"),
            // ALTER TABLE t DROP c: COLUMN is optional in PostgreSQL
            Pattern.compile("(?is)^\\s*(ALTER\\s+TABLE\\s+\\S+\\s+)?DROP\\s+(?!INDEX\\b|DEFAULT\\b)\\w+"),
            Pattern.compile("(?is)\\bRENAME\\b"),
            Pattern.compile("(?is)\\bTRUNCATE\\b"),
            Pattern.compile("(?is)\\bALTER\\s+COLUMN\\b.*\\b(TYPE|SET\\s+NOT\\s+NULL)\\b"),
            Pattern.compile("(?is)\\bADD\\s+(CONSTRAINT|CHECK|UNIQUE|PRIMARY\\s+KEY|FOREIGN\\s+KEY)\\b"),
            Pattern.compile("(?is)\\bADD\\s+COLUMN\\b(?!.*\\bDEFAULT\\b).*\\bNOT\\s+NULL\\b"));

    @Test
    void everyMigrationOnlyExpandsTheSchemaUnlessItSaysWhyItMayContract() throws IOException {
        List<String> unsafe = new ArrayList<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".sql")).sorted().toList()) {
                unsafe.addAll(contractingStatements(file.getFileName().toString(), Files.readString(file)));
            }
        }
        assertThat(unsafe)
                .as("statements that break the old version during a rolling upgrade")
                .isEmpty();
    }

    @Test
    void theCheckFindsWhatItIsFor() {
        assertThat(contractingStatements("V9__x.sql", "ALTER TABLE error_events DROP COLUMN culprit;"))
                .hasSize(1);
        assertThat(contractingStatements("V9__x.sql", "ALTER TABLE a RENAME COLUMN b TO c;"))
                .hasSize(1);
        assertThat(contractingStatements("V9__x.sql", "ALTER TABLE a ALTER COLUMN b TYPE BIGINT;"))
                .hasSize(1);
        assertThat(contractingStatements("V9__x.sql", "ALTER TABLE a ADD COLUMN b INT NOT NULL;"))
                .hasSize(1);
        assertThat(contractingStatements("V9__x.sql", "ALTER TABLE a ADD COLUMN b INT NOT NULL DEFAULT 0;"))
                .isEmpty();
        assertThat(contractingStatements("V9__x.sql", "DROP INDEX a_b;\nCREATE INDEX a_c ON a (c);"))
                .isEmpty();
        assertThat(contractingStatements("V9__x.sql", "ALTER TABLE a DROP culprit;"))
                .hasSize(1);
        assertThat(contractingStatements("V9__x.sql", "DROP VIEW v;")).hasSize(1);
        assertThat(contractingStatements("V9__x.sql", "ALTER TABLE a DROP CONSTRAINT a_b_key;"))
                .hasSize(1);
        assertThat(contractingStatements("V9__x.sql", "ALTER TABLE a ADD CONSTRAINT a_b CHECK (b > 0);"))
                .hasSize(1);
        assertThat(contractingStatements("V9__x.sql", "TRUNCATE a;")).hasSize(1);
        assertThat(contractingStatements(
                        "V9__x.sql", "ALTER TABLE a ADD COLUMN b INT NOT NULL, ADD COLUMN c INT DEFAULT 0;"))
                .hasSize(1);
        assertThat(contractingStatements("V9__x.sql", "ALTER TABLE a ALTER COLUMN b DROP DEFAULT;"))
                .isEmpty();
        assertThat(contractingStatements(
                        "V9__x.sql",
                        "-- contract: nothing reads culprit since 0.3.0\nALTER TABLE a DROP COLUMN culprit;"))
                .isEmpty();
    }

    /** An ALTER TABLE's clauses, split at the commas outside parentheses; any other statement whole. */
    private static List<String> clauses(String statement) {
        if (!statement.trim().toUpperCase(java.util.Locale.ROOT).startsWith("ALTER TABLE")) {
            return List.of(statement);
        }
        List<String> clauses = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < statement.length(); i++) {
            char c = statement.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                clauses.add(statement.substring(start, i));
                start = i + 1;
            }
        }
        clauses.add(statement.substring(start));
        return clauses;
    }

    private static List<String> contractingStatements(String file, String sql) {
        List<String> found = new ArrayList<>();
        String previousComment = "";
        for (String statement : sql.split(";")) {
            StringBuilder code = new StringBuilder();
            String lastComment = previousComment;
            for (String line : statement.split("\n")) {
                String trimmed = line.trim();
                if (trimmed.startsWith("--")) {
                    lastComment = trimmed;
                } else if (!trimmed.isEmpty()) {
                    code.append(trimmed).append(' ');
                }
            }
            previousComment = "";
            String text = code.toString();
            boolean contracts = clauses(text).stream().anyMatch(clause -> CONTRACTING.stream()
                    .anyMatch(p -> p.matcher(clause).find()));
            if (contracts && !lastComment.startsWith("-- contract:")) {
                found.add(file + ": " + text.trim());
            }
        }
        return found;
    }
}
