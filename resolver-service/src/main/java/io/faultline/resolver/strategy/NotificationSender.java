package io.faultline.resolver.strategy;

import java.time.Duration;

/** Delivers one escalation to one channel ({@link Notifier} in production). */
public interface NotificationSender {

    /** @return a description of the delivery; throws if it was not accepted */
    String send(String channel, Notification notification, Duration timeout) throws Exception;
}
