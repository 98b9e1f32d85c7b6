import { defineConfig } from 'vite';

// The host's build runs `npm run build -- --outDir <obj>/ui` and copies that folder into ui/
// beside the host binary. Names stay fixed (no content hashes): copies into bin/ never delete,
// so hashed names would pile up there; the API serves the files with ETags for revalidation.
export default defineConfig({
  base: './', // served under /ui/ (or behind a proxy's prefix): every URL relative
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    rollupOptions: {
      output: {
        entryFileNames: 'assets/[name].js',
        chunkFileNames: 'assets/[name].js',
        assetFileNames: 'assets/[name][extname]',
      },
    },
  },
});
