package io.faultline.examples.booking.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the on-call channel received: the demo hosts a Slack-compatible and a PagerDuty-shaped
 * receiver so escalations are visible without a real Slack workspace.
 */
@ApplicationScoped
public class NotificationInbox {

    public record Notification(String channel, Instant receivedAt, String body) {}

    private final List<Notification> received = new CopyOnWriteArrayList<>();

    public void receive(String channel, String body) {
        received.add(new Notification(channel, Instant.now(), body));
    }

    public List<Notification> all() {
        return List.copyOf(received);
    }
}
