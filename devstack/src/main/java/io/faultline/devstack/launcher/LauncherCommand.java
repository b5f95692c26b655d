package io.faultline.devstack.launcher;

import java.util.Arrays;
import java.util.List;

/** A {@code ./faultline} command line, parsed; the script's header documents each command. */
sealed interface LauncherCommand {

    /**
     * {@code up [-d] [--replicas N]}: start what is missing; in the foreground until Ctrl-C unless
     * detached.
     *
     * @param replicas instances of each service, 0 when not given (FAULTLINE_REPLICAS decides)
     */
    record Up(boolean detach, int replicas) implements LauncherCommand {
        Up(boolean detach) {
            this(detach, 0);
        }
    }

    record Down() implements LauncherCommand {}

    record Status() implements LauncherCommand {}

    /** {@code demo [-d] [--no-traffic]}: the stack, the demo runbooks and the booking demo app. */
    record Demo(boolean detach, boolean traffic) implements LauncherCommand {}

    /** {@code bench KIND [ARGS]}: the benchmark's own arguments go to it unread. */
    record Bench(String kind, List<String> args) implements LauncherCommand {}

    /** {@code drill [ARGS]}: the drill's arguments go to loadgen's Drill unread. */
    record Drill(List<String> args) implements LauncherCommand {}

    String USAGE =
            "usage: ./faultline up [-d] [--replicas N] | down | status | demo [-d] [--no-traffic] | bench KIND [ARGS] | drill [ARGS]"
                    + " (./faultline help says more)";

    static LauncherCommand parse(String... args) {
        if (args.length == 0) {
            throw new LauncherException(USAGE, 2);
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        return switch (args[0]) {
            case "up" -> up(rest);
            case "down" -> {
                noArguments(rest, "down");
                yield new Down();
            }
            case "status" -> {
                noArguments(rest, "status");
                yield new Status();
            }
            case "demo" -> flags(rest, "usage: ./faultline demo [-d] [--no-traffic]", true);
            case "bench" -> {
                if (rest.isEmpty() || !Benchmarks.KINDS.contains(rest.get(0))) {
                    throw new LauncherException(Benchmarks.USAGE);
                }
                yield new Bench(rest.get(0), List.copyOf(rest.subList(1, rest.size())));
            }
            case "drill" -> new Drill(List.copyOf(rest));
            default -> throw new LauncherException("unknown command '" + args[0] + "'; " + USAGE, 2);
        };
    }

    private static Up up(List<String> rest) {
        String usage = "usage: ./faultline up [-d] [--replicas N]";
        List<String> flags = new java.util.ArrayList<>();
        int replicas = 0;
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            if (arg.equals("--replicas") || arg.startsWith("--replicas=")) {
                String value = arg.startsWith("--replicas=")
                        ? arg.substring("--replicas=".length())
                        : i + 1 < rest.size() ? rest.get(++i) : "";
                if (value.isEmpty()) {
                    throw new LauncherException(usage);
                }
                replicas = LauncherSettings.replicas(value);
            } else {
                flags.add(arg);
            }
        }
        return new Up(flags(flags, usage, false).detach(), replicas);
    }

    private static void noArguments(List<String> rest, String command) {
        if (!rest.isEmpty()) {
            throw new LauncherException("usage: ./faultline " + command + " (no arguments; got " + rest + ")");
        }
    }

    /** {@code -d} and {@code --no-traffic}, where allowed: up's and demo's only options. */
    private static Demo flags(List<String> rest, String usage, boolean trafficAllowed) {
        boolean detach = false;
        boolean traffic = true;
        for (String arg : rest) {
            switch (arg) {
                case "-d", "--detach" -> detach = true;
                case "--no-traffic" -> {
                    if (!trafficAllowed) {
                        throw new LauncherException(usage);
                    }
                    traffic = false;
                }
                default -> throw new LauncherException(usage);
            }
        }
        return new Demo(detach, traffic);
    }
}
