import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Dev tooling, not product code: the editor itself reads no environment at run time.
const port = Number(process.env.BATCHGRAPH_EDITOR_PORT ?? 5173);
const apiUrl = process.env.BATCHGRAPH_API_URL ?? 'http://127.0.0.1:3000';
const proxy = { '/api': { target: apiUrl, changeOrigin: true } };

export default defineConfig({
  plugins: [react()],
  server: { host: '127.0.0.1', port, strictPort: true, proxy },
  preview: { host: '127.0.0.1', port, strictPort: true, proxy },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1600,
  },
});
