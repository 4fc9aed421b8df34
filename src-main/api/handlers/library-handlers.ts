import type { Handlers } from '../contract.ts';
import { libraryRevision, type ServiceContext } from '../context.ts';
import { libraryTracks } from '../../core/review/library-rows.ts';
import { loadTaxonomy } from '../../core/taxonomy/taxonomy-file.ts';
import { createLibraryView } from './library-view.ts';

/** The library table: all analysed tracks are read once per library change, then pages are sliced from memory. */
export function createLibraryHandlers(context: ServiceContext): Pick<Handlers, 'library'> {
  let cached: { revision: number; view: ReturnType<typeof createLibraryView> } | null = null;
  const view = () => {
    const revision = libraryRevision(context);
    if (cached?.revision !== revision) cached = { revision, view: createLibraryView(libraryTracks(context.db, context.model?.metadata.id ?? null, loadTaxonomy(context.taxonomyPath))) };
    return cached.view;
  };
  return { library: (query) => view().page(query) };
}
