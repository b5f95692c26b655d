package io.faultline.impact.messaging;

import io.faultline.schemas.kafka.StaticMemberPerConsumer;
import jakarta.enterprise.context.ApplicationScoped;

/** The classified-error channel runs several consumers; each joins its group under a name of its own. */
@ApplicationScoped
public class StaticMembers extends StaticMemberPerConsumer {}
