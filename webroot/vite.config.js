import { defineConfig } from 'vite';

// Built into the query side's static files (webroot/ on its classpath).
// `npm run dev` serves the UI with hot reload against a running ./run.sh.
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'target/classes/webroot',
    emptyOutDir: true,
  },
  server: {
    proxy: { '/api': 'http://localhost:8080' },
  },
});
