package io.faultline.classifier.grouping.template;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessageScannerTest {

    private static String masked(String message) {
        ScannedMessage scanned = new ScannedMessage();
        new MessageScanner().scan(message, scanned);
        return String.join(" ", scanned.tokens());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "integer        | retried 42 times                                  | retried <*> times",
                "decimal        | took 0.2570438 s                                  | took <*>",
                "negative id    | block blk_-5078186985701364847 deleted            | block <*> deleted",
                "hex            | register 0x00002000 set                           | register <*> set",
                "uuid           | instance 17288ea8-cbf4-4f0e-94fe-853fd2735f29 gone | instance <*> gone",
                "ipv4           | from 10.251.39.209 ok                             | from <*> ok",
                "ip and port    | dial 10.250.6.4:50010 failed                      | dial <*> failed",
                "ipv6           | peer fe80::1ff:fe23:4567:890a up                  | peer <*> up",
                "url            | GET https://example.com/a/b?c=d failed            | GET <*> failed",
                "unix path      | cannot open /var/lib/nova/instances now           | cannot open <*> now",
                "windows path   | cannot open C:\\Temp\\x.log now                   | cannot open <*> now",
                "email          | mail to jane.doe@example.org bounced              | mail to <*> bounced",
                "date and time  | at Sat Jun 18 02:23:10 2005 done                  | at <*> done",
                "long date      | on Monday, January 5 2026 done                    | on <*> done",
                "iso timestamp  | at 2017-05-16T05:54:58.530Z done                  | at <*> done",
                "quoted value   | Table 'users' not found                           | Table <*> not found",
                "size unit      | size 5.2 KB, free 317.1 KB                        | size <*> free <*>",
                "duration unit  | waited 250 ms for lock                            | waited <*> for lock",
                "key=number     | logname= uid=0 rhost=218.188.2.4                  | logname=<*> uid=<*> rhost=<*>",
                "key=host       | rhost=zummit.com user=root                        | rhost=<*> user=root",
                "key:number     | onExtend:1514038539000 done                       | onExtend:<*> done",
                "padded label   | machine check enable..............0               | machine check enable <*>",
                "empty brackets | connection from 1.2.3.4 () at noon               | connection from <*> at noon",
                "variable list  | Fan speeds ( 3552 3534 3391 3515 )                | Fan speeds ( <*> )",
                "size in words  | sent 0 bytes to peer                              | sent <*> to peer",
                "size and scale | sent 1,024 bytes (1.00 KB) to peer                | sent <*> to peer",
                "bound duration | session lifetime <1 sec                           | session lifetime <*>",
                "clock duration | session lifetime 00:01                             | session lifetime <*>",
                "percentage     | disk at 93% (4 days) left                         | disk at <*> left",
                "dns name       | mail.example.com refused relay                    | <*> refused relay",
                "country domain | lookup of proxy.cs.uni.ac.uk: timeout             | lookup of <*> timeout",
                "dns name, port | web-a.example.com:443 refused relay               | <*> refused relay",
                "package name   | org.apache.hadoop.ipc failed                      | org.apache.hadoop.ipc failed",
                "property key   | mapred.task.id is deprecated                      | mapred.task.id is deprecated",
                "file name      | cannot load setup.py now                          | cannot load setup.py now",
                "record fields  | saved User{id=7, name=alice, admin=false}         | saved User{id=<*> name=<*> admin=<*>",
                "flag value     | cache enabled=true for tenant                     | cache enabled=<*> for tenant",
                "record list    | peers node-1 ok node-2 ok node-3 ok               | peers <*> ok",
                "keyed list     | retry n=1 then n=2 then n=3 then                  | retry n=<*> then",
                "two values     | moved from 1 to 2                                 | moved from <*> to <*>",
            })
    void masksVariableClasses(String kind, String message, String expected) {
        assertThat(masked(message)).as(kind).isEqualTo(expected);
    }

    @Test
    void keepsWordsStatesAndSettings() {
        assertThat(masked("VM Started (Lifecycle Event) state=RUNNING"))
                .isEqualTo("VM Started (Lifecycle Event) state=RUNNING");
    }

    @Test
    void signatureHashDependsOnMaskedFormOnly() {
        ScannedMessage a = new ScannedMessage();
        ScannedMessage b = new ScannedMessage();
        ScannedMessage c = new ScannedMessage();
        MessageScanner scanner = new MessageScanner();
        scanner.scan("retried 42 times", a);
        scanner.scan("retried   7 times", b);
        scanner.scan("retried 7 tries", c);

        assertThat(a.signatureHash()).isEqualTo(b.signatureHash()).isNotEqualTo(c.signatureHash());
        assertThat(b.sameTokens(a.tokens())).isTrue();
        assertThat(c.sameTokens(a.tokens())).isFalse();
    }
}
