package io.faultline.schemas.serde;

import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ErrorGroup;
import io.faultline.schemas.Project;
import io.faultline.schemas.ResolutionEvent;
import io.faultline.schemas.Signal;
import io.faultline.schemas.TrafficSample;

/**
 * One named serde class per topic value type, with a no-argument constructor, so that Kafka
 * clients and SmallRye Reactive Messaging can be configured with {@code value.deserializer=
 * io.faultline.schemas.serde.Serdes$ErrorEventSerde}.
 */
public final class Serdes {

    private Serdes() {}

    public static class ErrorEventSerde extends AvroSerde<ErrorEvent> {
        public ErrorEventSerde() {
            super(ErrorEvent.class);
        }
    }

    public static class ProjectSerde extends AvroSerde<Project> {
        public ProjectSerde() {
            super(Project.class);
        }
    }

    public static class TrafficSampleSerde extends AvroSerde<TrafficSample> {
        public TrafficSampleSerde() {
            super(TrafficSample.class);
        }
    }

    public static class ClassifiedErrorSerde extends AvroSerde<ClassifiedError> {
        public ClassifiedErrorSerde() {
            super(ClassifiedError.class);
        }
    }

    public static class ErrorGroupSerde extends AvroSerde<ErrorGroup> {
        public ErrorGroupSerde() {
            super(ErrorGroup.class);
        }
    }

    public static class SignalSerde extends AvroSerde<Signal> {
        public SignalSerde() {
            super(Signal.class);
        }
    }

    public static class ResolutionEventSerde extends AvroSerde<ResolutionEvent> {
        public ResolutionEventSerde() {
            super(ResolutionEvent.class);
        }
    }
}
