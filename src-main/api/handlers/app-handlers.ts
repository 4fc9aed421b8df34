import { createRequire } from 'node:module';
import type { Handlers } from '../contract.ts';
import type { ServiceContext } from '../context.ts';
import { loadTaxonomy } from '../../core/taxonomy/taxonomy-file.ts';
import { displayNameForLabel } from '../../core/taxonomy/taxonomy.ts';

const { version } = createRequire(import.meta.url)('../../../package.json') as { version: string };

/** What the interface needs to know about this session: mode, version, database, model and backend, scannable folders. */
export function createAppHandlers(context: ServiceContext): Pick<Handlers, 'appInfo'> {
  return {
    appInfo: () => {
      const metadata = context.model?.metadata;
      const taxonomy = loadTaxonomy(context.taxonomyPath);
      return {
        mode: context.mode, version, databasePath: context.databasePath,
        model: metadata ? { id: metadata.id, featureSet: metadata.featureSet, backend: context.backend, genres: metadata.labels.map((label) => displayNameForLabel(taxonomy, label)) } : null,
        scanFolders: [...context.scanFolders], canChooseFolders: context.pickFolder !== null,
      };
    },
  };
}
