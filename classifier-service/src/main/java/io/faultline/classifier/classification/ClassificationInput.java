package io.faultline.classifier.classification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ExceptionValue;
import io.faultline.schemas.RequestInfo;
import io.faultline.schemas.StackFrame;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What classification looks at, taken from an event: everything a rule may match on and nothing
 * else, so rules stay independent of the wire format.
 *
 * @param exceptions the exception chain in Sentry's order: root cause first, outermost last; {@link
 *     #from} adds, as deeper causes, Java types that an exception's value names at its start
 * @param messageTemplate the mined or SDK-given template of the message, null when unknown
 * @param transaction the transaction or route name, falling back to the request path
 * @param httpStatus the HTTP response status the error went with, null when unknown
 * @param handled false when the outermost exception was not caught by the application, null when unknown
 * @param requestPath the path of the request the event happened in: the request URL's, else that of
 *     a transaction named like a route ("POST /api/bookings", "/api/bookings"); null when the event
 *     came from no request (a job, a consumer, start-up)
 * @param inAppFrames the application's own frames as {@code module.function} (the file when the
 *     module is unknown), innermost first, at most {@link #MAX_IN_APP_FRAMES}
 * @param frameworkModules the distinct modules of the frames that are not the application's (its
 *     libraries and framework: {@code org.postgresql.jdbc}, {@code sqlalchemy.engine.base}), the
 *     file when the module is unknown, innermost first from the root cause, at most {@link
 *     #MAX_FRAMEWORK_MODULES}, each cut to {@link #MAX_MODULE_CHARS}; read by the learned fallback
 *     and by rules' frameModule conditions
 */
public record ClassificationInput(
        List<ExceptionInfo> exceptions,
        String message,
        String messageTemplate,
        String level,
        String platform,
        String logger,
        Map<String, String> tags,
        String transaction,
        Integer httpStatus,
        Boolean handled,
        String groupId,
        String requestPath,
        List<String> inAppFrames,
        List<String> frameworkModules) {

    /**
     * @param type the qualified type name: Sentry SDKs split it into module and type, and the type
     *     hierarchy in the rule file names types qualified (java.net.SocketTimeoutException)
     */
    public record ExceptionInfo(String type, String value) {

        /**
         * Types are capped before any rule reads them: an event may carry a 1 MB type, and a type
         * pattern such as {@code (word|...)[A-Za-z]*Suffix} costs the square of its length.
         */
        public ExceptionInfo {
            if (type != null && type.length() > MAX_TYPE_CHARS) {
                type = type.substring(0, MAX_TYPE_CHARS);
            }
        }
    }

    /** The longest exception type the rules read; no real type name comes near it. */
    static final int MAX_TYPE_CHARS = 256;

    /** Tag keys SDKs and instrumentations use for the response status, most specific first. */
    private static final List<String> STATUS_TAGS =
            List.of("http.status_code", "http.response.status_code", "status_code", "response.status_code", "status");

    private static final List<String> ROUTE_TAGS = List.of("transaction", "http.route", "route", "url.path");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A value that starts with a qualified type name ("java.util.concurrent.TimeoutException" or
     * "java.net.ConnectException: Connection refused") is how Java wrappers such as
     * CompletionException and ExecutionException print a cause the SDK did not send as a chain link.
     */
    private static final Pattern CAUSE_IN_VALUE = Pattern.compile(
            "^((?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error))(?::\\s*(.*))?$", Pattern.DOTALL);

    static final int MAX_IN_APP_FRAMES = 16;
    static final int MAX_FRAMEWORK_MODULES = 8;

    private static final Pattern ROUTE_TRANSACTION =
            Pattern.compile("^(?:(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) )?(/\\S*)");

    public ClassificationInput {
        inAppFrames = inAppFrames == null ? List.of() : List.copyOf(inAppFrames);
        frameworkModules = frameworkModules == null ? List.of() : List.copyOf(frameworkModules);
        exceptions = exceptions == null ? List.of() : List.copyOf(exceptions);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        level = level == null ? "error" : level;
    }

    /**
     * Background work in the guide's sense: no request, or a webhook a provider sent us; its
     * failures hurt internal processes rather than a user waiting for an answer.
     */
    public boolean background() {
        return requestPath == null || requestPath.contains("/webhooks/") || requestPath.endsWith("/webhooks");
    }

    /**
     * @param groupId the group the event was put in, the key of operator relabels
     * @param template the message template found by grouping, null when none
     */
    public static ClassificationInput from(ErrorEvent event, String groupId, String template) {
        List<ExceptionInfo> chain = new ArrayList<>();
        Boolean handled = null;
        for (ExceptionValue exception : event.getExceptions()) {
            chain.add(new ExceptionInfo(
                    qualifiedType(moduleOfType(event.getPlatform(), exception.getModule()), exception.getType()),
                    exception.getValue()));
            if (exception.getMechanism() != null) {
                handled = exception.getMechanism().getHandled();
            }
        }
        chain = withCausesNamedInValues(chain);
        String message = event.getMessage();
        String sdkTemplate = null;
        if (event.getLogentry() != null) {
            sdkTemplate = event.getLogentry().getMessage();
            if (message == null) {
                message = event.getLogentry().getFormatted() != null
                        ? event.getLogentry().getFormatted()
                        : sdkTemplate;
            }
        }
        Map<String, String> tags = event.getTags();
        List<String> inApp = new ArrayList<>();
        List<String> framework = new ArrayList<>();
        framesOf(event.getExceptions(), inApp, framework);
        return new ClassificationInput(
                chain,
                message,
                template != null ? template : sdkTemplate,
                event.getLevel(),
                event.getPlatform(),
                event.getLogger(),
                tags,
                transactionOf(event.getTransaction(), tags, event.getRequest()),
                httpStatusOf(tags, event.getContexts()),
                handled,
                groupId,
                requestPathOf(event.getRequest(), event.getTransaction()),
                inApp,
                framework);
    }

    private static String requestPathOf(RequestInfo request, String transaction) {
        if (request != null && request.getUrl() != null && !request.getUrl().isBlank()) {
            String url = request.getUrl();
            int scheme = url.indexOf("://");
            int start = scheme < 0 ? 0 : url.indexOf('/', scheme + 3);
            if (start < 0) {
                return "/";
            }
            int end = url.length();
            for (char c : new char[] {'?', '#'}) {
                int at = url.indexOf(c, start);
                if (at >= 0 && at < end) {
                    end = at;
                }
            }
            return url.substring(start, end);
        }
        if (transaction != null) {
            Matcher route = ROUTE_TRANSACTION.matcher(transaction);
            if (route.find()) {
                return route.group(1);
            }
        }
        return null;
    }

    /**
     * Fills the application's frames ({@code module.function}, innermost first from the outermost
     * exception, as the guide reads them for the workflow) and the other frames' distinct modules,
     * innermost first from the root cause: the library a failure was raised in comes first, however
     * many framework frames its wrappers passed through. Sentry sends frames caller first, and the
     * chain cause first.
     */
    private static void framesOf(List<ExceptionValue> chain, List<String> inApp, List<String> framework) {
        for (int e = chain.size() - 1; e >= 0 && inApp.size() < MAX_IN_APP_FRAMES; e--) {
            List<StackFrame> list = chain.get(e).getFrames();
            for (int f = list.size() - 1; f >= 0 && inApp.size() < MAX_IN_APP_FRAMES; f--) {
                StackFrame frame = list.get(f);
                if (Boolean.TRUE.equals(frame.getInApp())) {
                    String module = moduleOf(frame);
                    String function = frame.getFunction();
                    if (module != null || function != null) {
                        inApp.add(module == null ? function : function == null ? module : module + "." + function);
                    }
                }
            }
        }
        for (int e = 0; e < chain.size() && framework.size() < MAX_FRAMEWORK_MODULES; e++) {
            List<StackFrame> list = chain.get(e).getFrames();
            for (int f = list.size() - 1; f >= 0 && framework.size() < MAX_FRAMEWORK_MODULES; f--) {
                StackFrame frame = list.get(f);
                String module = moduleOf(frame);
                if (!Boolean.TRUE.equals(frame.getInApp())
                        && module != null
                        && !module.isBlank()
                        && !framework.contains(module)) {
                    framework.add(module);
                }
            }
        }
    }

    /**
     * A frame's module, else its file, cut to {@value #MAX_MODULE_CHARS} characters: rules run
     * regexes on it (frameModule) and the cache keys it, and a hostile event may send megabytes.
     */
    private static String moduleOf(StackFrame frame) {
        String module = frame.getModule() != null ? frame.getModule() : frame.getFilename();
        return module == null || module.length() <= MAX_MODULE_CHARS ? module : module.substring(0, MAX_MODULE_CHARS);
    }

    static final int MAX_MODULE_CHARS = 256;

    /**
     * Python's built-in exceptions are named bare (KeyError, MemoryError), as sentry-python sends
     * them; an event that gives them their module "builtins" names the same type.
     */
    private static final Set<String> PYTHON_BUILTIN_MODULES = Set.of("builtins", "__builtin__");

    /** Prepends, as deeper causes, the types that values name but the chain lacks. */
    static List<ExceptionInfo> withCausesNamedInValues(List<ExceptionInfo> chain) {
        List<ExceptionInfo> implied = new ArrayList<>();
        for (ExceptionInfo exception : chain) {
            if (exception.value() == null) {
                continue;
            }
            Matcher cause = CAUSE_IN_VALUE.matcher(exception.value().trim());
            if (cause.matches() && chain.stream().noneMatch(e -> cause.group(1).equals(e.type()))) {
                implied.add(new ExceptionInfo(cause.group(1), cause.group(2)));
            }
        }
        if (implied.isEmpty()) {
            return chain;
        }
        implied.addAll(chain);
        return implied;
    }

    /**
     * The module that qualifies a type, or null: a JavaScript error's class is global (TypeError,
     * MongoServerError, JWKSTimeout), and the npm package an event may name as its module is where
     * it was raised, which rules read from the frames, not part of its name.
     */
    static String moduleOfType(String platform, String module) {
        return "node".equals(platform) || "javascript".equals(platform) ? null : module;
    }

    /**
     * Sentry Java and Python send the type's simple name plus its module; native clients send it
     * qualified, and Ruby and PHP types carry their namespace ({@code ::}, {@code \\}) even when the
     * SDK also sends it as the module.
     */
    static String qualifiedType(String module, String type) {
        if (type == null || type.isBlank()) {
            return null;
        }
        if (module == null
                || module.isBlank()
                || PYTHON_BUILTIN_MODULES.contains(module)
                || type.startsWith(module + ".")
                || type.contains(".")
                || type.contains("::")
                || type.indexOf('\\') >= 0) {
            return type;
        }
        return module + "." + type;
    }

    private static String transactionOf(String transaction, Map<String, String> tags, RequestInfo request) {
        if (transaction != null && !transaction.isBlank()) {
            return transaction;
        }
        for (String key : ROUTE_TAGS) {
            String value = tags.get(key);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        if (request != null && request.getUrl() != null) {
            try {
                return URI.create(request.getUrl()).getPath();
            } catch (IllegalArgumentException notAUri) {
                return request.getUrl();
            }
        }
        return null;
    }

    private static Integer httpStatusOf(Map<String, String> tags, Map<String, String> contexts) {
        for (String key : STATUS_TAGS) {
            Integer status = parseStatus(tags.get(key));
            if (status != null) {
                return status;
            }
        }
        // Sentry's response context: {"status_code": 503, ...}
        String response = contexts.get("response");
        if (response != null) {
            try {
                JsonNode statusCode = JSON.readTree(response).path("status_code");
                return parseStatus(statusCode.asText(null));
            } catch (Exception unreadable) {
                return null;
            }
        }
        return null;
    }

    static Integer parseStatus(String text) {
        if (text == null) {
            return null;
        }
        try {
            int status = Integer.parseInt(text.trim());
            return status >= 100 && status <= 599 ? status : null;
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }
}
