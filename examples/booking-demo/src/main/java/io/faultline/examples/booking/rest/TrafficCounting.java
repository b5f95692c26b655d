package io.faultline.examples.booking.rest;

import io.faultline.examples.booking.reporting.TrafficReporter;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

/** Counts every API request per workflow for the traffic report; a 5xx counts as failed. */
@Provider
public class TrafficCounting implements ContainerResponseFilter {

    private final TrafficReporter traffic;

    public TrafficCounting(TrafficReporter traffic) {
        this.traffic = traffic;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String workflow = Workflows.ofPath(request.getUriInfo().getPath());
        if (workflow != null) {
            traffic.count(workflow, response.getStatus() >= 500);
        }
    }
}
