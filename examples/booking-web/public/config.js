// Runtime configuration, read before the app starts. Replace this file where dist/ is served (or
// serve it from your backend) to point one build at any Faultline stack: `dsn` is the stack's
// $SENTRY_DSN (`./faultline up` prints it); an empty dsn keeps the SDK off.
window.BOOKING_WEB_CONFIG = {
  dsn: '',
  release: 'booking-web@0.1.0',
  environment: 'development',
};
