package io.faultline.classifier.grouping.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.classifier.grouping.MessageTemplates.Template;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TemplateMinerTest {

    private final TemplateMiner miner = new TemplateMiner();

    @Test
    void messagesDifferingInMaskedValuesShareATemplate() {
        Template a = miner.templateOf("p", "Connection refused to 10.0.0.12:5432");
        Template b = miner.templateOf("p", "Connection refused to 192.168.1.7:6379");

        assertThat(b).isEqualTo(a);
        assertThat(a.text()).isEqualTo("Connection refused to <*>");
    }

    @Test
    void scopesNeverShareTemplates() {
        Template a = miner.templateOf("project-a", "Connection refused to 10.0.0.12:5432");
        Template b = miner.templateOf("project-b", "Connection refused to 10.0.0.12:5432");

        assertThat(a.id()).isNotEqualTo(b.id());
        assertThat(a.text()).isEqualTo(b.text());
    }

    @Test
    void aPositionBecomesVariableOnceThreeDistinctWordsWereSeenThere() {
        Template alice = miner.templateOf("p", "session closed for user alice");
        Template bob = miner.templateOf("p", "session closed for user bob");
        assertThat(bob.id()).as("two words may be an enumeration").isNotEqualTo(alice.id());

        Template carol = miner.templateOf("p", "session closed for user carol");
        Template dave = miner.templateOf("p", "session closed for user dave");

        assertThat(carol.id()).as("the first-founded cluster survives").isEqualTo(alice.id());
        assertThat(carol.text()).isEqualTo("session closed for user <*>");
        assertThat(dave).isEqualTo(carol);
        assertThat(miner.currentId(bob.id()))
                .as("merged-away id aliases the survivor")
                .isEqualTo(alice.id());
        assertThat(miner.templateOf("p", "session closed for user bob").id()).isEqualTo(alice.id());
    }

    @Test
    void stateWordsAndSettingsStayDistinctEvents() {
        for (String state : List.of("Started", "Stopped", "Paused", "Resumed")) {
            miner.templateOf("p", "VM " + state + " (Lifecycle Event)");
        }
        for (String state : List.of("RUNNING", "FAILED", "KILLED", "NEW")) {
            miner.templateOf("p", "job state=" + state);
        }
        for (String verb : List.of("creating", "removing")) {
            miner.templateOf("p", verb + " device node '/udev/vcs2'");
        }

        assertThat(miner.templateOf("p", "VM Started (Lifecycle Event)").text())
                .isEqualTo("VM Started (Lifecycle Event)");
        assertThat(miner.templateOf("p", "job state=NEW").text()).isEqualTo("job state=NEW");
        assertThat(miner.templateOf("p", "creating device node '/udev/vcs3'").text())
                .isEqualTo("creating device node <*>");
    }

    @Test
    void capitalisedWordsNeedMoreEvidenceThanLowerCaseOnes() {
        List<String> names = List.of("Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi");
        Template first = miner.templateOf("p", "Login failed for user " + names.get(0));
        for (String name : names.subList(1, 7)) {
            assertThat(miner.templateOf("p", "Login failed for user " + name).id())
                    .isNotEqualTo(first.id());
        }

        Template eighth = miner.templateOf("p", "Login failed for user " + names.get(7));

        assertThat(eighth.id()).isEqualTo(first.id());
        assertThat(eighth.text()).isEqualTo("Login failed for user <*>");
    }

    @Test
    void aWordMeetingAMaskedValueAtOnePositionMergesAtOnce() {
        Template numbered = miner.templateOf("p", "generating core.4900 for rank");
        Template named = miner.templateOf("p", "generating core.main for rank");

        assertThat(named.id()).isEqualTo(numbered.id());
        assertThat(named.text()).isEqualTo("generating <*> for rank");
    }

    @Test
    void aLeadingHostBecomesVariableLikeAnyOtherPosition() {
        Template gateway = miner.templateOf("p", "gateway refused relay from client");
        miner.templateOf("p", "frontend refused relay from client");
        Template backend = miner.templateOf("p", "backend refused relay from client");

        assertThat(backend.id()).isEqualTo(gateway.id());
        assertThat(backend.text()).isEqualTo("<*> refused relay from client");
    }

    @Test
    void aMergeNeverLeavesATemplateMostlyVariable() {
        Set<String> ids = new HashSet<>();
        for (String m : List.of("onStart 12", "onStop 13", "onPause 14", "onResume 15")) {
            ids.add(miner.templateOf("p", m).id());
        }
        for (String m : List.of("boot (command 1902)", "halt (command 1903)", "wait (command 1904)")) {
            ids.add(miner.templateOf("p", m).id());
        }
        for (String m :
                List.of("[web-a] boot (command 1902)", "[web-a] halt (command 1903)", "[web-a] wait (command 7)")) {
            ids.add(miner.templateOf("p", m).id());
        }
        assertThat(ids).as("a word before little else names the event").hasSize(10);

        Template number = miner.templateOf("p", "12345");
        assertThat(miner.templateOf("p", "shutdown").id())
                .as("a template of one variable does not take a word")
                .isNotEqualTo(number.id());
    }

    @Test
    void aScopeThatNamesItsSenderFirstMergesTemplatesSeenFromTwoSenders() {
        Template early = miner.templateOf("p", "edge cache warmed");
        miner.templateOf("p", "edge-b cache warmed");
        // three templates seen from three hosts each teach the scope that its leading token is the sender
        for (String host : List.of("gateway", "billing", "scheduler")) {
            miner.templateOf("p", host + " connection reset by peer");
            miner.templateOf("p", host + " disk quota exceeded on volume");
            miner.templateOf("p", host + " certificate expires in " + host.length() + " days");
        }

        assertThat(miner.templateOf("p", "edge-b cache warmed").id())
                .as("templates founded before it was learned merge too")
                .isEqualTo(early.id());
        Template rare = miner.templateOf("p", "gateway index rebuilt");
        Template rareElsewhere = miner.templateOf("p", "billing index rebuilt");
        assertThat(rareElsewhere.id()).as("a rare event seen from two senders").isEqualTo(rare.id());
        assertThat(rareElsewhere.text()).isEqualTo("<*> index rebuilt");
        // the sender counts as a variable now, so the one word behind it stays the event
        Template critical = miner.templateOf("p", "gateway critical");
        miner.templateOf("p", "gateway normal");
        Template warning = miner.templateOf("p", "gateway warning");
        assertThat(warning.id()).isNotEqualTo(critical.id());
    }

    @Test
    void idStaysStableWhileTheTemplateTextIsRefined() {
        Template first = miner.templateOf("p", "Worker alpha restarted after 12 s");
        miner.templateOf("p", "Worker beta restarted after 3 s");
        Template refined = miner.templateOf("p", "Worker gamma restarted after 1 s");

        assertThat(refined.id()).isEqualTo(first.id());
        assertThat(first.text()).isEqualTo("Worker alpha restarted after <*>");
        assertThat(refined.text()).isEqualTo("Worker <*> restarted after <*>");
    }

    @Test
    void blankAndOverlongMessagesGetTemplatesToo() throws IOException {
        BytesStore persisted = new BytesStore();
        TemplateMiner before = new TemplateMiner(persisted);
        String blank = before.templateOf("p", "  ").id();
        String longMessage = "dump " + "word ".repeat(1000);
        Template overlong = before.templateOf("p", longMessage);

        TemplateMiner restarted = new TemplateMiner(persisted);
        assertThat(restarted.templateOf("p", "").id()).isEqualTo(blank);
        assertThat(restarted.templateOf("p", longMessage).id()).isEqualTo(overlong.id());
        assertThat(overlong.text().split(" "))
                .hasSize(MessageScanner.MAX_TOKENS)
                .endsWith("<*>");
    }

    @Test
    void idsDoNotDependOnTheMinerInstance() {
        Template a = new TemplateMiner().templateOf("p", "Connection refused to 10.0.0.12:5432");
        Template b = new TemplateMiner().templateOf("p", "Connection refused to 10.9.9.9:80");

        assertThat(a.id()).isEqualTo(b.id());
    }

    @Test
    void minerRebuiltFromPersistedStateGivesTheSameIds() throws IOException {
        List<String> messages = sample();
        BytesStore persisted = new BytesStore();
        TemplateMiner before = new TemplateMiner(persisted);
        Map<String, String> idBefore = new HashMap<>();
        for (String m : messages) idBefore.put(m, before.templateOf("p", m).id());

        TemplateMiner restarted = new TemplateMiner(persisted);
        for (String m : messages) {
            assertThat(restarted.templateOf("p", m).id()).as(m).isEqualTo(before.currentId(idBefore.get(m)));
            assertThat(restarted.currentId(idBefore.get(m))).as(m).isEqualTo(before.currentId(idBefore.get(m)));
        }
    }

    @Test
    void codecRoundTripsABucket() throws IOException {
        BytesStore persisted = new BytesStore();
        TemplateMiner m = new TemplateMiner(persisted);
        for (String message : sample()) m.templateOf("p", message);

        assertThat(persisted.buckets).isNotEmpty();
        persisted.buckets.forEach((key, bytes) -> assertThat(TemplateCodec.encode(TemplateCodec.decode(bytes)))
                .as(key)
                .isEqualTo(bytes));
    }

    static List<String> sample() throws IOException {
        try (InputStream in = TemplateMinerTest.class.getResourceAsStream("/template/sample-messages.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** Keeps only bytes, as a Kafka Streams {@code KeyValueStore<String, byte[]>} does. */
    static final class BytesStore implements TemplateStore {
        final Map<String, byte[]> buckets = new HashMap<>();
        final Map<String, String> aliases = new HashMap<>();

        @Override
        public TemplateBucket bucket(String key) {
            byte[] bytes = buckets.get(key);
            return bytes == null ? null : TemplateCodec.decode(bytes);
        }

        @Override
        public void putBucket(String key, TemplateBucket bucket) {
            buckets.put(key, TemplateCodec.encode(bucket));
        }

        @Override
        public String alias(String id) {
            return aliases.get(id);
        }

        @Override
        public void putAlias(String id, String survivorId) {
            aliases.put(id, survivorId);
        }
    }
}
