package io.faultline.examples.booking.rest;

import io.faultline.examples.booking.availability.AvailabilityService;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

@Path("/api/availability")
public class AvailabilityResource {

    private final AvailabilityService availability;

    public AvailabilityResource(AvailabilityService availability) {
        this.availability = availability;
    }

    @GET
    public AvailabilityService.Slots slots(@QueryParam("date") @DefaultValue("2026-12-01") String date) {
        return availability.slots(date);
    }
}
