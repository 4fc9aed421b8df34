/** Hash routes: `#/library`, `#/scan`, `#/review`, `#/playlists`, `#/apply`, `#/settings`, `#/map`, `#/track/<id>`. */
export type Route =
  | { page: 'library' | 'scan' | 'review' | 'playlists' | 'apply' | 'settings' | 'map' }
  | { page: 'track'; trackId: number };

function parse(hash: string): Route {
  const [, page, arg] = hash.replace(/^#/, '').split('/');
  if (page === 'track' && arg && /^\d+$/.test(arg)) return { page: 'track', trackId: Number(arg) };
  if (page === 'scan' || page === 'review' || page === 'playlists' || page === 'apply' || page === 'settings' || page === 'map') return { page };
  return { page: 'library' };
}

/** The current route, kept in step with the address. */
export const router = $state({ route: parse(location.hash) });

window.addEventListener('hashchange', () => {
  router.route = parse(location.hash);
});

/** Goes to a page (`'track'` needs an id). */
export function go(page: Route['page'], trackId?: number): void {
  location.hash = page === 'track' ? `#/track/${trackId}` : `#/${page}`;
}
