package io.faultline.classifier.detection;

import java.util.Arrays;

/**
 * How many events in one hour make a spike for a group, from its hourly counts before that hour.
 *
 * <p>With a full week of hours the limit follows Sentry's escalating-issues rule: the larger of a
 * "spike" limit (a multiple of the weekly hourly mean, for steady groups) and a "bursty" limit
 * (mean + k standard deviations, for groups that already come in bursts). With less history a
 * mean and standard deviation are too easily dragged by one busy hour, so the baseline is the
 * median + k·MAD of the hours seen. Counts are Poisson-like, so the spread used is never taken
 * below √median: a group that reliably fires 20 times an hour (MAD 0) does not spike at 21. The
 * floor keeps a handful of events from ever counting as a spike. In a group's first hour there is
 * no baseline at all and no spike: that hour already raised the new-issue signal.
 */
public final class SpikeThreshold {

    public static final int WEEK_HOURS = 7 * 24;

    private final DetectionSettings settings;

    public SpikeThreshold(DetectionSettings settings) {
        this.settings = settings;
    }

    /** The limit and how it was derived, for the signal's details. */
    public record Limit(double value, String basis, double baseline, double spread) {}

    /**
     * @param previousHours counts of the hours before the one being judged, oldest first, zeros
     *     included, starting at the group's first hour within the last week (so a young group has
     *     fewer than {@link #WEEK_HOURS})
     */
    public Limit limit(long[] previousHours) {
        if (previousHours.length >= WEEK_HOURS) {
            long[] week = Arrays.copyOfRange(previousHours, previousHours.length - WEEK_HOURS, previousHours.length);
            double mean = Arrays.stream(week).average().orElse(0);
            double variance = Arrays.stream(week)
                            .mapToDouble(c -> (c - mean) * (c - mean))
                            .sum()
                    / week.length;
            double std = Math.sqrt(variance);
            double spike = settings.spikeMultiplier() * mean;
            double bursty = mean + settings.burstyStdMultiplier() * std;
            double value = Math.max(settings.spikeFloor(), Math.max(spike, bursty));
            return new Limit(value, spike >= bursty ? "week-spike" : "week-bursty", mean, std);
        }
        if (previousHours.length == 0) {
            return new Limit(Double.POSITIVE_INFINITY, "no-history", 0, 0);
        }
        double median = median(previousHours);
        long[] deviations = Arrays.stream(previousHours)
                .map(c -> Math.round(Math.abs(c - median) * 2))
                .toArray();
        double mad = median(deviations) / 2;
        double spread = Math.max(mad, Math.sqrt(median));
        double value = Math.max(settings.spikeFloor(), median + settings.madMultiplier() * spread);
        return new Limit(value, "short-history-median-mad", median, spread);
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }
}
