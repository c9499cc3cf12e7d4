import { defineConfig } from 'vite';

// Built into the query side's static files: io/cqrsbooks/ui on its classpath (a path no working
// directory shadows, unlike a plain webroot/).
// `npm run dev` serves the UI with hot reload against a running ./run.sh.
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'target/classes/io/cqrsbooks/ui',
    emptyOutDir: true,
  },
  server: {
    proxy: { '/api': 'http://localhost:8080' },
  },
});
