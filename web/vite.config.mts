import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// Built into web/dist, which the Nest app serves at `/` (src/common/web-static.ts).
// Chrome 87 / Firefox 78: the domestic browsers' engines (docs/stack.md "Web front end").
export default defineConfig({
  plugins: [vue()],
  build: {
    target: ['chrome87', 'firefox78'],
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
