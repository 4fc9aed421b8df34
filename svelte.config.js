// Svelte's own settings, read by the Vite plugin and svelte-check: TypeScript in components is stripped by Vite.
export default {};
