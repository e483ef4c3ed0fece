import { defineConfig } from "vite";

// The build goes to ../dist, which is committed and embedded into the Go binary
// (web/web.go); OUT_DIR lets check-dist build elsewhere and compare.
export default defineConfig({
  base: "/",
  build: {
    outDir: process.env.OUT_DIR ?? "../dist",
    emptyOutDir: true,
    // No inline scripts or data: modules: the server's Content-Security-Policy allows
    // only files from 'self'.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
});
