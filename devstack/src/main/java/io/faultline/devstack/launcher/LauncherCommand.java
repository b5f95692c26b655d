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
            case "drill" -> drill(rest);
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

    String DRILL_USAGE = "usage: ./faultline drill [--rate N] [--seconds-per-fault N] [--recovery-deadline N]"
            + " [--faults F,F,..] [--replicas N] [--disk-size SIZE]";

    /**
     * The drill's options, checked here: the drill mounts a filesystem and kills processes for
     * minutes, so an option it does not know stops it before anything starts. Their values are
     * read by the launcher (replicas, disk size) and by loadgen's Drill (the rest).
     */
    private static Drill drill(List<String> rest) {
        List<String> options = List.of(
                "--rate", "--seconds-per-fault", "--recovery-deadline", "--faults", "--replicas", "--disk-size");
        for (int i = 0; i < rest.size(); i += 2) {
            String option = rest.get(i);
            if (!options.contains(option)) {
                throw new LauncherException(
                        (option.equals("--help") || option.equals("-h") ? "" : "unknown option '" + option + "'; ")
                                + DRILL_USAGE,
                        2);
            }
            if (i + 1 >= rest.size()) {
                throw new LauncherException(option + " needs a value; " + DRILL_USAGE, 2);
            }
        }
        return new Drill(List.copyOf(rest));
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
