package io.faultline.examples.booking.rest;

import io.faultline.examples.booking.service.BookingService;
import io.faultline.examples.booking.store.Booking;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

@Path("/api/payments")
public class PaymentResource {

    /** Pays a booking in full. */
    public record PaymentRequest(String bookingId) {}

    private final BookingService bookings;

    public PaymentResource(BookingService bookings) {
        this.bookings = bookings;
    }

    @POST
    public Response pay(PaymentRequest request) {
        Booking paid = bookings.pay(request.bookingId());
        return Response.status(201).entity(paid).build();
    }
}
