package io.faultline.examples.booking.rest;

import io.faultline.examples.booking.service.BookingService;
import io.faultline.examples.booking.store.Booking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

@Path("/api/bookings")
public class BookingResource {

    private final BookingService bookings;

    public BookingResource(BookingService bookings) {
        this.bookings = bookings;
    }

    @POST
    public Response create(BookingService.NewBooking request) {
        Booking b = bookings.create(request);
        return Response.status(201).entity(b).build();
    }

    @GET
    @Path("/{id}")
    public Booking get(@PathParam("id") String id) {
        return bookings.find(id).orElseThrow(NotFoundException::new);
    }
}
