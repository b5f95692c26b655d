// The booking demo's availability, served in the page: booking-web runs without a backend, and
// fails the way a real one does when its faults (see faults.ts) are switched on.
import { flakyAttempts, isBroken } from './faults';

export interface Money {
  cents: number;
  currency: string;
}

export interface Room {
  id: string;
  name: string;
  beds: number;
  /** what the backend's contract promises; ?break=summary drops it, as a backend release once did */
  price?: Money;
}

export class CalendarUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarUnavailable';
  }
}

const ROOMS: Room[] = [
  { id: '204', name: 'Room 204 · garden view', beds: 2, price: { cents: 12900, currency: 'EUR' } },
  { id: '311', name: 'Room 311 · city view', beds: 1, price: { cents: 9900, currency: 'EUR' } },
  { id: '402', name: 'Suite 402', beds: 3, price: { cents: 24900, currency: 'EUR' } },
];

let calls = 0;

/** The rooms free on a night; fails its first ?flaky=N calls as a timing-out calendar service does. */
export async function fetchAvailability(night: string): Promise<Room[]> {
  calls += 1;
  await new Promise((resolve) => setTimeout(resolve, 120));
  if (calls <= flakyAttempts) {
    throw new CalendarUnavailable(`calendar service timed out after 2000 ms for ${night}`);
  }
  return isBroken('summary') ? ROOMS.map(({ price: _dropped, ...room }) => room) : ROOMS;
}
