// Loads this page's WebAssembly bundle (phone, console or projector: the page shell names it).
// A separate file (not an inline script) so the Content-Security-Policy can forbid inline scripts.
const surface = document.documentElement.dataset.surface;
const { default: init } = await import(`/pkg/${surface}.js`);
await init({ module_or_path: `/pkg/${surface}_bg.wasm` });
