package io.faultline.classifier.grouping.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.schemas.ExceptionValue;
import io.faultline.schemas.LogEntry;
import io.faultline.schemas.StackFrame;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupableEventTest {

    @Test
    void takesWhatGroupingNeedsFromTheAvroEvent() {
        GroupableEvent event = GroupableEvent.from(TestEvents.event("shop-backend")
                .setLogentry(LogEntry.newBuilder()
                        .setMessage("slot %s taken")
                        .setFormatted("slot 12 taken")
                        .build())
                .setExceptions(List.of(ExceptionValue.newBuilder()
                        .setType("SlotTakenException")
                        .setModule("com.example.booking")
                        .setFrames(List.of(StackFrame.newBuilder()
                                .setAbsPath("/srv/app/booking.py")
                                .setFunction("book")
                                .build()))
                        .build()))
                .build());

        assertThat(event.logTemplate()).isEqualTo("slot %s taken");
        assertThat(event.message())
                .as("formatted logentry when there is no message")
                .isEqualTo("slot 12 taken");
        assertThat(event.outermostException().qualifiedType()).isEqualTo("com.example.booking.SlotTakenException");
        assertThat(event.outermostException().frames()).singleElement().satisfies(frame -> {
            assertThat(frame.filename()).isEqualTo("/srv/app/booking.py");
            assertThat(frame.inApp()).as("unknown means library code").isFalse();
        });
    }
}
