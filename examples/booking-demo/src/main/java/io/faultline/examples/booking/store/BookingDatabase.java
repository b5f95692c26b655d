package io.faultline.examples.booking.store;

import io.faultline.examples.booking.faults.Fault;
import io.faultline.examples.booking.faults.FaultSwitchboard;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.SocketException;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/**
 * The bookings table. In memory so the demo needs no database of its own, but it fails the way
 * the PostgreSQL JDBC driver does when the server drops its connections: a {@link PSQLException}
 * with SQLState 08006 caused by the reset socket, which is what a booking app on PgJDBC reports
 * during a failover.
 */
@ApplicationScoped
public class BookingDatabase {

    private final FaultSwitchboard faults;
    private final Map<String, Booking> rows = new ConcurrentHashMap<>();

    public BookingDatabase(FaultSwitchboard faults) {
        this.faults = faults;
    }

    public void insert(Booking booking) throws SQLException {
        connection();
        rows.put(booking.id(), booking);
    }

    public void update(Booking booking) throws SQLException {
        connection();
        rows.put(booking.id(), booking);
    }

    public Optional<Booking> find(String id) throws SQLException {
        connection();
        return Optional.ofNullable(rows.get(id));
    }

    public int count() {
        return rows.size();
    }

    private void connection() throws SQLException {
        if (faults.isOn(Fault.DATABASE_CONNECTION_DROP)) {
            throw new PSQLException(
                    "An I/O error occurred while sending to the backend.",
                    PSQLState.CONNECTION_FAILURE,
                    new SocketException("Connection reset"));
        }
    }
}
