// Vite handles CSS imports in the page bundles.
declare module '*.css';
