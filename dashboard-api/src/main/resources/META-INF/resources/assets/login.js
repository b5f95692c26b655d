// The form posts without script; this only surfaces the server's "wrong credentials" redirect.
if (new URLSearchParams(location.search).get('error')) {
  document.getElementById('login-error').hidden = false;
}
