/** What public/config.js sets before the app starts: which Faultline stack to report to. */
export interface BookingWebConfig {
  /** the stack's DSN ($SENTRY_DSN); empty or absent keeps the SDK off */
  dsn?: string;
  release?: string;
  environment?: string;
}

declare global {
  interface Window {
    BOOKING_WEB_CONFIG?: BookingWebConfig;
  }
}

export const config: BookingWebConfig = window.BOOKING_WEB_CONFIG ?? {};
