// The form posts without script; this only surfaces the server's redirects back to the form:
// wrong credentials, or too many failures for the name (with the seconds to wait).
const params = new URLSearchParams(location.search);
const error = params.get('error');
if (error === 'throttled') {
  const seconds = Number.parseInt(params.get('retry'), 10);
  if (Number.isFinite(seconds) && seconds > 0) {
    document.getElementById('retry-seconds').textContent = String(seconds);
  }
  document.getElementById('login-throttled').hidden = false;
} else if (error) {
  document.getElementById('login-error').hidden = false;
}
