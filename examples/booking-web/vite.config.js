import { defineConfig } from 'vite';

export default defineConfig({
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
});
