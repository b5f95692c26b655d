import { useState } from 'react';
import { fetchAvailability, type Money, type Room } from './api';
import { Boundary } from './Boundary';
import { isBroken } from './faults';
import { useRetryingData } from './useRetryingData';

const NIGHT = '2026-12-24';

export function App() {
  if (isBroken('page')) {
    throw new Error('booking page could not start: the booking flow configuration is missing');
  }
  const [room, setRoom] = useState<Room | null>(null);
  return (
    <main>
      <h1>Book a room</h1>
      <p className="muted">Night of {NIGHT}</p>
      <Boundary part="availability" title="Availability could not be loaded">
        <Availability night={NIGHT} picked={room} onPick={setRoom} />
      </Boundary>
      <Boundary part="summary" title="The booking summary could not be shown">
        <BookingSummary night={NIGHT} room={room} />
      </Boundary>
    </main>
  );
}

function Availability({ night, picked, onPick }: { night: string; picked: Room | null; onPick: (room: Room) => void }) {
  const { data: rooms, loading, attempt } = useRetryingData(`availability ${night}`, () => fetchAvailability(night));
  if (loading || !rooms) {
    return (
      <section id="availability" aria-busy="true">
        <p className="muted">Looking up free rooms{attempt > 1 ? ` (attempt ${attempt})` : ''}…</p>
      </section>
    );
  }
  return (
    <section id="availability">
      <h2>Free rooms</h2>
      <ul className="rooms">
        {rooms.map((room) => (
          <li key={room.id}>
            <button
              type="button"
              id={`room-${room.id}`}
              className={picked?.id === room.id ? 'picked' : ''}
              onClick={() => onPick(room)}
            >
              {room.name} · {room.beds} {room.beds === 1 ? 'bed' : 'beds'}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function BookingSummary({ night, room }: { night: string; room: Room | null }) {
  if (!room) {
    return (
      <section id="summary">
        <p className="muted">Pick a room to see the price.</p>
      </section>
    );
  }
  // the contract says every room has a price; when the backend breaks it this throws a TypeError,
  // which the summary's boundary catches and reports
  const total = nightlyTotal(room.price!, 1);
  return (
    <section id="summary">
      <h2>Your booking</h2>
      <p>
        {room.name}, night of {night}
      </p>
      <p className="total">Total {total}</p>
    </section>
  );
}

function nightlyTotal(price: Money, nights: number): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: price.currency }).format(
    (price.cents * nights) / 100,
  );
}
