// The app shell: a page with no content of its own, prerendered at build time and precached by the
// service worker, which answers every navigation with it when the network cannot (DESIGN.md §1).
// The router then renders the page the address asks for, in the browser.
export const prerender = true;
export const ssr = false;
