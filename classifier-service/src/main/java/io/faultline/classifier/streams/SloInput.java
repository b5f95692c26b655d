package io.faultline.classifier.streams;

import io.faultline.schemas.TrafficSample;

/**
 * One input of the SLO burn detector, keyed by scope: an error seen at the record's timestamp,
 * or a traffic sample. Lives only inside the detector's sub-topology, so it is never serialized.
 */
record SloInput(TrafficSample traffic) {

    private static final SloInput ERROR = new SloInput(null);

    static SloInput error() {
        return ERROR;
    }

    static SloInput traffic(TrafficSample sample) {
        return new SloInput(sample);
    }

    boolean isError() {
        return traffic == null;
    }
}
