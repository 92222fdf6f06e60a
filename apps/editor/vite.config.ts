import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Built into dist/, which the API serves at `/` (TRIBUTARY_EDITOR_DIR). In `npm run dev -w
// @tributary/editor` the API calls go to a running `npm start` on port 3000.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
