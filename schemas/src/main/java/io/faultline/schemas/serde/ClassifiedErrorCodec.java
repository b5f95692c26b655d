package io.faultline.schemas.serde;

import io.faultline.schemas.Classification;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.GroupingInfo;
import java.io.IOException;
import java.time.Instant;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Encoder;

/**
 * The Avro binary body of a {@link ClassifiedError}: the event through {@link ErrorEventCodec},
 * then the grouping and classification. Every classified error is written once by the
 * classifier and read by the impact-service, the resolver and the dashboard.
 */
final class ClassifiedErrorCodec {

    /** This codec as {@link AvroSerde} uses it, for the ClassifiedError schema with this fingerprint. */
    static final BodyCodec<ClassifiedError> BODY =
            new BodyCodec<>(5606381202932616962L, ClassifiedErrorCodec::write, ClassifiedErrorCodec::read);

    private ClassifiedErrorCodec() {}

    static void write(ClassifiedError c, Encoder out) throws IOException {
        ErrorEventCodec.write(ErrorEventCodec.required(c.getEvent(), "event"), out);
        writeAfterEvent(c, out);
    }

    /** The fields after the event: the event is the first field, so these follow its body. */
    static void writeAfterEvent(ClassifiedError c, Encoder out) throws IOException {
        out.writeString(ErrorEventCodec.required(c.getGroupId(), "groupId"));
        GroupingInfo g = ErrorEventCodec.required(c.getGrouping(), "grouping");
        out.writeString(ErrorEventCodec.required(g.getStrategy(), "grouping.strategy"));
        ErrorEventCodec.strings(ErrorEventCodec.required(g.getComponents(), "grouping.components"), out);
        ErrorEventCodec.optional(g.getTemplate(), out);
        out.writeString(ErrorEventCodec.required(g.getTitle(), "grouping.title"));
        ErrorEventCodec.optional(g.getCulprit(), out);
        Classification k = ErrorEventCodec.required(c.getClassification(), "classification");
        out.writeString(ErrorEventCodec.required(k.getSeverity(), "classification.severity"));
        out.writeString(ErrorEventCodec.required(k.getCategory(), "classification.category"));
        out.writeString(ErrorEventCodec.required(k.getBusinessImpact(), "classification.businessImpact"));
        ErrorEventCodec.optional(k.getWorkflow(), out);
        ErrorEventCodec.strings(ErrorEventCodec.required(k.getRules(), "classification.rules"), out);
        out.writeLong(
                ErrorEventCodec.required(c.getClassifiedAt(), "classifiedAt").toEpochMilli());
    }

    static ClassifiedError read(BinaryDecoder in) throws IOException {
        ClassifiedError c = new ClassifiedError();
        c.setEvent(ErrorEventCodec.read(in));
        c.setGroupId(in.readString());
        GroupingInfo g = new GroupingInfo();
        g.setStrategy(in.readString());
        g.setComponents(ErrorEventCodec.strings(in));
        g.setTemplate(ErrorEventCodec.optionalString(in));
        g.setTitle(in.readString());
        g.setCulprit(ErrorEventCodec.optionalString(in));
        c.setGrouping(g);
        Classification k = new Classification();
        k.setSeverity(in.readString());
        k.setCategory(in.readString());
        k.setBusinessImpact(in.readString());
        k.setWorkflow(ErrorEventCodec.optionalString(in));
        k.setRules(ErrorEventCodec.strings(in));
        c.setClassification(k);
        c.setClassifiedAt(Instant.ofEpochMilli(in.readLong()));
        return c;
    }
}
