package io.faultline.examples.booking.rest;

import io.faultline.examples.booking.service.ClientDirectory;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

@Path("/api/clients")
public class ClientResource {

    private final ClientDirectory clients;

    public ClientResource(ClientDirectory clients) {
        this.clients = clients;
    }

    @GET
    @Path("/{id}")
    public ClientDirectory.Profile profile(@PathParam("id") String id) {
        return clients.profile(id).orElseThrow(NotFoundException::new);
    }
}
