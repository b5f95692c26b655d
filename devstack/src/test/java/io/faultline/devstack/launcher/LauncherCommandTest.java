package io.faultline.devstack.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LauncherCommandTest {

    @Test
    void upDetachesWithEitherSpelling() {
        assertThat(LauncherCommand.parse("up")).isEqualTo(new LauncherCommand.Up(false));
        assertThat(LauncherCommand.parse("up", "-d")).isEqualTo(new LauncherCommand.Up(true));
        assertThat(LauncherCommand.parse("up", "--detach")).isEqualTo(new LauncherCommand.Up(true));
    }

    @Test
    void upTakesAReplicaCount() {
        assertThat(LauncherCommand.parse("up", "-d", "--replicas", "2")).isEqualTo(new LauncherCommand.Up(true, 2));
        assertThat(LauncherCommand.parse("up", "--replicas=2")).isEqualTo(new LauncherCommand.Up(false, 2));
        assertThatThrownBy(() -> LauncherCommand.parse("up", "--replicas", "9"))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("FAULTLINE_REPLICAS=9");
        assertThatThrownBy(() -> LauncherCommand.parse("up", "--replicas"))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("--replicas N");
    }

    @Test
    void demoTakesItsFlagsInAnyOrder() {
        assertThat(LauncherCommand.parse("demo")).isEqualTo(new LauncherCommand.Demo(false, true));
        assertThat(LauncherCommand.parse("demo", "--no-traffic", "-d"))
                .isEqualTo(new LauncherCommand.Demo(true, false));
    }

    @Test
    void benchAndDrillPassTheirArgumentsOnUnread() {
        assertThat(LauncherCommand.parse("bench", "ingest", "--batch", "1000"))
                .isEqualTo(new LauncherCommand.Bench("ingest", List.of("--batch", "1000")));
        assertThat(LauncherCommand.parse("drill", "--rate", "300", "--faults", "broker"))
                .isEqualTo(new LauncherCommand.Drill(List.of("--rate", "300", "--faults", "broker")));
    }

    /**
     * A drill mounts a filesystem and kills processes for minutes: a mistyped or unknown option,
     * or a request for help, must stop it before any stack starts (`drill --help` ran a whole drill).
     */
    @Test
    void theDrillRefusesWhatItDoesNotKnowBeforeStarting() {
        assertThatThrownBy(() -> LauncherCommand.parse("drill", "--help"))
                .hasMessageStartingWith("usage: ./faultline drill");
        assertThatThrownBy(() -> LauncherCommand.parse("drill", "--rates", "300"))
                .hasMessageContaining("--rates");
        assertThatThrownBy(() -> LauncherCommand.parse("drill", "--rate")).hasMessageContaining("--rate needs a value");
        assertThat(LauncherCommand.parse(
                        "drill",
                        "--rate",
                        "300",
                        "--seconds-per-fault",
                        "5",
                        "--recovery-deadline",
                        "120",
                        "--replicas",
                        "2",
                        "--disk-size",
                        "1g",
                        "--faults",
                        "broker"))
                .isInstanceOf(LauncherCommand.Drill.class);
    }

    @Test
    void theDrillKeepsReplicasAndDiskSizeForTheLauncherAndMountsOnlyForDiskFull() {
        List<String> args = new java.util.ArrayList<>(
                List.of("--rate", "300", "--replicas", "2", "--disk-size", "1g", "--faults", "broker"));
        assertThat(Benchmarks.takeOption(args, "--replicas", "1")).isEqualTo("2");
        assertThat(Benchmarks.takeOption(args, "--disk-size", "2g")).isEqualTo("1g");
        assertThat(Benchmarks.takeOption(args, "--seconds", "20")).isEqualTo("20");
        assertThat(args).containsExactly("--rate", "300", "--faults", "broker");
        assertThat(Benchmarks.wantsFault(args, "disk-full")).isFalse();
        assertThat(Benchmarks.wantsFault(List.of("--faults", "broker,disk-full"), "disk-full"))
                .isTrue();
        // every fault when none is named
        assertThat(Benchmarks.wantsFault(List.of("--rate", "300"), "disk-full")).isTrue();
    }

    /**
     * The drill's own data filled its fixed 2 GB disk before the disk-full fault did: two instances
     * of each service at 1,000 events/s had stored 450,000 events (PostgreSQL 1.5 GB, Kafka 0.45 GB)
     * when the broker's log directory failed, and the next fault never recovered.
     */
    @Test
    void theDrillsDiskIsSizedForTheEventsItWillStore() {
        long gib = 1024L * 1024 * 1024;
        // the full drill, two instances: 14 faults, 20 s apart, 1,000 events/s
        assertThat(Benchmarks.plannedDiskBytes(List.of())).isGreaterThanOrEqualTo(4 * gib);
        // the test suite's short drill stays small: the filler writes all of it
        long shortDrill = Benchmarks.plannedDiskBytes(
                List.of("--rate", "300", "--seconds-per-fault", "5", "--faults", "a,b,c,d,e,f"));
        assertThat(shortDrill).isBetween(gib, 2 * gib);
        assertThat(Benchmarks.plannedDiskBytes(List.of("--rate", "2000")))
                .isGreaterThan(Benchmarks.plannedDiskBytes(List.of("--rate", "1000")));
    }

    /** tmpfs pages are memory: the drill's disk never takes more than half of what is available. */
    @Test
    void theDrillsDiskTakesAtMostHalfTheAvailableMemory() {
        long gib = 1024L * 1024 * 1024;
        assertThat(Benchmarks.cappedDiskBytes(7 * gib, 8 * gib)).isEqualTo(4 * gib);
        assertThat(Benchmarks.cappedDiskBytes(3 * gib, 20 * gib)).isEqualTo(3 * gib);
        // unknown (no /proc/meminfo): as planned
        assertThat(Benchmarks.cappedDiskBytes(3 * gib, 0)).isEqualTo(3 * gib);
    }

    @Test
    void downAndStatusTakeNoArguments() {
        assertThat(LauncherCommand.parse("down")).isEqualTo(new LauncherCommand.Down());
        assertThat(LauncherCommand.parse("status")).isEqualTo(new LauncherCommand.Status());
        assertThatThrownBy(() -> LauncherCommand.parse("down", "now"))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("usage: ./faultline down");
    }

    @Test
    void aMistakeIsAUsageErrorNamingWhatIsAllowed() {
        assertThatThrownBy(() -> LauncherCommand.parse("up", "--detached"))
                .isInstanceOf(LauncherException.class)
                .hasMessage("usage: ./faultline up [-d] [--replicas N]");
        assertThatThrownBy(() -> LauncherCommand.parse("up", "--no-traffic"))
                .hasMessage("usage: ./faultline up [-d] [--replicas N]");
        assertThatThrownBy(() -> LauncherCommand.parse("bench", "throughput"))
                .hasMessageStartingWith("usage: ./faultline bench ingest|pipeline|sse|impact|resolution|e2e");
        assertThatThrownBy(() -> LauncherCommand.parse("bench")).hasMessageStartingWith("usage: ./faultline bench");
        assertThatThrownBy(() -> LauncherCommand.parse("restart"))
                .isInstanceOfSatisfying(
                        LauncherException.class, e -> assertThat(e.exitStatus()).isEqualTo(2))
                .hasMessageStartingWith("unknown command 'restart'");
        assertThatThrownBy(LauncherCommand::parse)
                .isInstanceOfSatisfying(
                        LauncherException.class, e -> assertThat(e.exitStatus()).isEqualTo(2));
    }
}
