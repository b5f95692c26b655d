package io.faultline.dashboard.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.schemas.Vocabulary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Reads the dashboard's static files as they are served: the page holds no copy of the label
 * vocabulary (it reads GET /api/v1/vocabulary), and every form control it creates has a label.
 */
class AssetsTest {

    private static final Path RESOURCES = Path.of("src", "main", "resources", "META-INF", "resources");

    private static final Map<String, List<String>> VOCABULARY = Map.of(
            "severities", Vocabulary.SEVERITIES,
            "categories", Vocabulary.CATEGORIES,
            "business impacts", Vocabulary.BUSINESS_IMPACTS,
            "group statuses", Vocabulary.GROUP_STATUSES,
            "signal kinds", Vocabulary.SIGNAL_KINDS);

    /** The innermost bracketed run of code: an array, an object, a block or an argument list. */
    private static final Pattern INNERMOST = Pattern.compile("\\[[^\\[\\]]*]|\\{[^{}]*}|\\([^()]*\\)");

    /** A control the page builds with dom.js' h(), and the name it is kept under, if any. */
    private static final Pattern CONTROL =
            Pattern.compile("(?:(?:const|let)\\s+(\\w+)\\s*=\\s*)?h\\('(input|select|textarea)'");

    private static final Pattern LIST = Pattern.compile("(\\w+)\\s*=\\s*\\w+\\.map\\([^;]*$");

    /** The control is the second argument of a field(label, control) call. */
    private static final Pattern WRAPPED = Pattern.compile("field\\([^()]*,\\s*$");

    private static final Pattern HTML_CONTROL = Pattern.compile("<(input|select|textarea)\\b[^>]*>");

    static List<Path> assets() {
        try (Stream<Path> files = Files.walk(RESOURCES)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().matches(".*\\.(js|html|css)$"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Two values of one vocabulary as literals (quoted, or an object's keys) in one array, object,
     * block or argument list is a copy of that vocabulary, whole or in part. The style sheet's
     * colour per severity ({@code --critical:}) is presentation, not a list the page offers.
     */
    static List<String> vocabularyCopies(String name, String text) {
        List<String> found = new ArrayList<>();
        Matcher group = INNERMOST.matcher(text);
        while (group.find()) {
            String code = group.group();
            VOCABULARY.forEach((vocabulary, values) -> {
                TreeSet<String> literals = new TreeSet<>();
                for (String value : values) {
                    String quoted = Pattern.quote(value);
                    if (Pattern.compile("['\"`]" + quoted + "['\"`]|(?<![-\\w])" + quoted + "\\s*:")
                            .matcher(code)
                            .find()) {
                        literals.add(value);
                    }
                }
                if (literals.size() >= 2) {
                    found.add(name + ": " + vocabulary + " " + literals + " in " + code.strip());
                }
            });
        }
        return found;
    }

    /** Controls built by h() that no field(label, control) wraps, nor a <label> in the HTML. */
    static List<String> unlabelledControls(String name, String text) {
        List<String> found = new ArrayList<>();
        Matcher control = CONTROL.matcher(text);
        while (control.find()) {
            String before = text.substring(Math.max(0, control.start() - 200), control.start());
            // kept under a name, or made in a map() into a list kept under a name
            Matcher list = LIST.matcher(before);
            String variable = control.group(1) != null ? control.group(1) : list.find() ? list.group(1) : null;
            boolean wrappedInPlace = WRAPPED.matcher(before).find();
            boolean wrappedLater = variable != null
                    && Pattern.compile("field\\([^;]*?\\b" + variable + "\\b")
                            .matcher(text)
                            .find();
            if (!wrappedInPlace && !wrappedLater) {
                found.add(name + ": " + text.substring(control.start(), Math.min(text.length(), control.end() + 60)));
            }
        }
        Matcher html = HTML_CONTROL.matcher(text);
        while (html.find()) {
            String before = text.substring(0, html.start());
            boolean insideLabel = before.lastIndexOf("<label") > before.lastIndexOf("</label>");
            if (!insideLabel && !html.group().contains("type=\"hidden\"")) {
                found.add(name + ": " + html.group());
            }
        }
        return found;
    }

    /** What the check finds in every served file, each finding named by the file. */
    private static List<String> inEveryAsset(BiFunction<String, String, List<String>> check) {
        return assets().stream()
                .flatMap(file -> check.apply(RESOURCES.relativize(file).toString(), read(file)).stream())
                .toList();
    }

    @Test
    void noAssetHoldsACopyOfTheLabelVocabulary() {
        assertThat(inEveryAsset(AssetsTest::vocabularyCopies))
                .as("vocabulary lists hard-coded in the assets")
                .isEmpty();
    }

    @Test
    void theCheckFindsTheCopiesThePageOnceHeld() {
        // as app.js held them before the page read GET /api/v1/vocabulary
        assertThat(vocabularyCopies(
                        "app.js",
                        "h('select', { name: 'severity' }, ['', 'critical', 'high', 'medium', 'low', 'info'].map(f))"))
                .hasSize(1);
        assertThat(vocabularyCopies("x.js", "const LABEL = { revenue_blocking: 'money', user_blocking: 'users' };"))
                .hasSize(1);
        assertThat(vocabularyCopies("x.js", "if (s === \"resolved\" || s === \"ignored\") return;"))
                .hasSize(1);
        assertThat(vocabularyCopies("x.js", "h('span', { class: `sev sev-${item.severity}` }, item.severity)"))
                .isEmpty();
    }

    @Test
    void everyFormControlHasALabel() {
        assertThat(inEveryAsset(AssetsTest::unlabelledControls))
                .as("form controls without a <label>")
                .isEmpty();
    }

    @Test
    void theCheckFindsAControlLabelledOnlyByAPlaceholderOrATitle() {
        // as the group page made its note and ignore controls before they had labels
        assertThat(unlabelledControls(
                        "group.js",
                        "const noteInput = h('input', { id: 'action-note', placeholder: 'note' });\n"
                                + "const ignoreFor = h('select', { id: 'ignore-until', title: 'Ignore until' });\n"
                                + "h('div', {}, noteInput, ignoreFor);"))
                .hasSize(2);
        assertThat(unlabelledControls("login.html", "<form><input id=\"username\" name=\"username\"></form>"))
                .hasSize(1);
        assertThat(unlabelledControls(
                        "ok.js",
                        "const note = h('input', { id: 'note' });\nfield('Note', note);\n"
                                + "field('Sort', h('select', { name: 'sort' }));"))
                .isEmpty();
        assertThat(unlabelledControls("ok.html", "<label>User name <input id=\"username\"></label>"))
                .isEmpty();
    }
}
