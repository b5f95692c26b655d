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
        java.util.Map<String, Integer> lengths = new java.util.HashMap<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql"))
                    .sorted(java.util.Comparator.comparingInt(MigrationSafetyTest::version))
                    .toList()) {
                unsafe.addAll(contractingStatements(file.getFileName().toString(), Files.readString(file), lengths));
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
        // a varchar made longer (or text) keeps every value the old version writes; shorter does not
        String created = "CREATE TABLE a (id VARCHAR(64) PRIMARY KEY, b VARCHAR(64) NOT NULL, c INT);\n";
        assertThat(contractingStatements("V9__x.sql", created + "ALTER TABLE a ALTER COLUMN b TYPE VARCHAR(160);"))
                .isEmpty();
        assertThat(contractingStatements("V9__x.sql", created + "ALTER TABLE a ALTER COLUMN b TYPE TEXT;"))
                .isEmpty();
        assertThat(contractingStatements("V9__x.sql", created + "ALTER TABLE a ALTER COLUMN b TYPE VARCHAR(32);"))
                .hasSize(1);
        assertThat(contractingStatements("V9__x.sql", created + "ALTER TABLE a ALTER COLUMN c TYPE VARCHAR(99);"))
                .hasSize(1);
        assertThat(contractingStatements("V9__x.sql", "ALTER TABLE z ALTER COLUMN b TYPE VARCHAR(160);"))
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

    private static int version(Path migration) {
        String name = migration.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    private static final Pattern CREATE_TABLE =
            Pattern.compile("(?is)^\\s*CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(\\w+)\\s*\\((.*)\\)\\s*$");
    private static final Pattern ALTER_TABLE = Pattern.compile("(?is)^\\s*ALTER\\s+TABLE\\s+(\\w+)\\s+(.*)$");
    private static final Pattern VARCHAR_COLUMN =
            Pattern.compile("(?is)^\\s*(?:ADD\\s+(?:COLUMN\\s+)?)?(\\w+)\\s+VARCHAR\\s*\\(\\s*(\\d+)\\s*\\)");
    private static final Pattern WIDEN = Pattern.compile(
            "(?is)^\\s*ALTER\\s+COLUMN\\s+(\\w+)\\s+TYPE\\s+(?:VARCHAR\\s*\\(\\s*(\\d+)\\s*\\)|TEXT)\\s*$");

    private static List<String> contractingStatements(String file, String sql) {
        return contractingStatements(file, sql, new java.util.HashMap<>());
    }

    /**
     * A clause that makes a varchar column longer (or text) expands the schema: every value the old
     * version writes still fits, and it reads nothing new. {@code lengths} holds the declared
     * length of each {@code table.column} from the earlier migrations.
     */
    private static boolean widens(String table, String clause, java.util.Map<String, Integer> lengths) {
        var widen = WIDEN.matcher(clause);
        if (table == null || !widen.find()) {
            return false;
        }
        String column = table + "." + widen.group(1).toLowerCase(java.util.Locale.ROOT);
        Integer before = lengths.get(column);
        int after = widen.group(2) == null ? Integer.MAX_VALUE : Integer.parseInt(widen.group(2));
        return before != null && after >= before;
    }

    private static void declare(String text, java.util.Map<String, Integer> lengths) {
        var create = CREATE_TABLE.matcher(text.trim());
        var alter = ALTER_TABLE.matcher(text.trim());
        String table;
        List<String> parts;
        if (create.find()) {
            table = create.group(1).toLowerCase(java.util.Locale.ROOT);
            parts = clauses("ALTER TABLE x " + create.group(2));
        } else if (alter.find()) {
            table = alter.group(1).toLowerCase(java.util.Locale.ROOT);
            parts = clauses(text);
        } else {
            return;
        }
        for (String part : parts) {
            String p = part.replaceFirst("(?is)^\\s*ALTER\\s+TABLE\\s+\\w+\\s+", "");
            var varchar = VARCHAR_COLUMN.matcher(p);
            var widen = WIDEN.matcher(p);
            if (widen.find()) {
                lengths.put(
                        table + "." + widen.group(1).toLowerCase(java.util.Locale.ROOT),
                        widen.group(2) == null ? Integer.MAX_VALUE : Integer.parseInt(widen.group(2)));
            } else if (varchar.find()) {
                lengths.put(
                        table + "." + varchar.group(1).toLowerCase(java.util.Locale.ROOT),
                        Integer.parseInt(varchar.group(2)));
            }
        }
    }

    private static List<String> contractingStatements(String file, String sql, java.util.Map<String, Integer> lengths) {
        List<String> found = new ArrayList<>();
        String previousComment = "";
        // a semicolon in a comment line ends no statement
        String statements = sql.lines()
                .map(l -> l.trim().startsWith("--") ? l.replace(';', ',') : l)
                .collect(java.util.stream.Collectors.joining("\n"));
        for (String statement : statements.split(";")) {
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
            var alter = ALTER_TABLE.matcher(text.trim());
            String table = alter.find() ? alter.group(1).toLowerCase(java.util.Locale.ROOT) : null;
            boolean contracts = clauses(text).stream()
                    .map(clause -> clause.replaceFirst("(?is)^\\s*ALTER\\s+TABLE\\s+\\w+\\s+", ""))
                    .anyMatch(clause -> !widens(table, clause, lengths)
                            && CONTRACTING.stream()
                                    .anyMatch(p -> p.matcher(clause).find()));
            declare(text, lengths);
            if (contracts && !lastComment.startsWith("-- contract:")) {
                found.add(file + ": " + text.trim());
            }
        }
        return found;
    }
}
