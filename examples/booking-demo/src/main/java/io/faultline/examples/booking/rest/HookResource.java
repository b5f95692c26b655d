package io.faultline.examples.booking.rest;

import io.faultline.examples.booking.service.NotificationInbox;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

/** Local stand-ins for Slack's incoming webhook and PagerDuty's Events API. */
@Path("/hooks")
public class HookResource {

    private static final Logger LOG = Logger.getLogger(HookResource.class);
    private final NotificationInbox inbox;

    public HookResource(NotificationInbox inbox) {
        this.inbox = inbox;
    }

    @POST
    @Path("/{channel:slack|pagerduty}")
    public Response receive(@PathParam("channel") String channel, String body) {
        inbox.receive(channel, body);
        LOG.infof("%s notification received: %s", channel, body);
        return channel.equals("pagerduty")
                ? Response.accepted().build()
                : Response.ok("ok").build();
    }
}
