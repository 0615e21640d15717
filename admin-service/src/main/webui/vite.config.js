import { defineConfig } from 'vite';

// React without @vitejs/plugin-react: esbuild compiles JSX itself (the plugin's newer majors need Vite 8).
export default defineConfig({
  base: './',
  esbuild: { jsx: 'automatic' },
  build: {
    // Maven passes --outDir target/classes/static; a plain `npm run build` writes to dist/.
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 800,
  },
  server: {
    // `npm run dev` against a running admin service (./tollgate up).
    proxy: { '/api': 'http://127.0.0.1:8081', '/v3': 'http://127.0.0.1:8081' },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.js'],
  },
});
