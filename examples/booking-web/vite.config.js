import { defineConfig } from 'vite';

// Source maps go to Faultline when the build is given where to send them (see
// docs/sourcemaps.md): the plugin injects a debug id into each bundle and its map and uploads both.
// Without these variables the build is the plain one, with no upload and no network.
const upload = process.env.FAULTLINE_SOURCEMAPS_URL;

async function sourcemapUpload() {
  if (!upload) {
    return [];
  }
  const { sentryVitePlugin } = await import('@sentry/vite-plugin');
  return [
    sentryVitePlugin({
      url: upload, // Faultline's dashboard
      authToken: process.env.FAULTLINE_SOURCEMAPS_TOKEN,
      org: process.env.FAULTLINE_SOURCEMAPS_ORG || 'faultline',
      project: process.env.FAULTLINE_SOURCEMAPS_PROJECT, // the DSN's project id
      // Faultline serves the artifact bundle calls, not the release ones
      release: { name: process.env.FAULTLINE_RELEASE, create: false, finalize: false, inject: false },
      telemetry: false,
    }),
  ];
}

export default defineConfig(async () => ({
  // relative asset URLs: dist/ works from any path it is served under
  base: './',
  esbuild: {
    // React names components in the component stack it hands to the error boundary by their
    // function names; minified they would read "at x", which tells an SRE nothing
    keepNames: true,
  },
  build: {
    sourcemap: true,
  },
  plugins: await sourcemapUpload(),
}));
