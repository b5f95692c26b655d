package io.faultline.resolver.messaging;

import io.faultline.schemas.kafka.StaticMemberPerConsumer;
import jakarta.enterprise.context.ApplicationScoped;

/** A channel given {@code concurrency} still joins its group with one static member name per consumer. */
@ApplicationScoped
public class StaticMembers extends StaticMemberPerConsumer {}
