import type { Handlers } from '../contract.ts';
import { libraryChanged, type ServiceContext } from '../context.ts';
import { defaultSettingsPath, loadSettings, saveSettings } from '../../core/settings.ts';
import { defaultTaxonomyPath, readTaxonomyDefinition, saveTaxonomyJson } from '../../core/taxonomy/taxonomy-file.ts';

/** How genres are written (the same settings file as `sonority settings`) and the genre taxonomy (the same file as `sonority taxonomy`). */
export function createSettingsHandlers(context: ServiceContext): Pick<Handlers, 'getSettings' | 'saveSettings' | 'getTaxonomy' | 'saveTaxonomy'> {
  const settingsPath = context.settingsPath ?? defaultSettingsPath();
  const taxonomyPath = context.taxonomyPath ?? defaultTaxonomyPath();
  const taxonomy = () => ({ path: taxonomyPath, definition: readTaxonomyDefinition(taxonomyPath) });
  return {
    getSettings: () => loadSettings(settingsPath),
    saveSettings: (settings) => {
      saveSettings(settingsPath, settings);
      return loadSettings(settingsPath);
    },
    getTaxonomy: taxonomy,
    saveTaxonomy: ({ definition }) => {
      saveTaxonomyJson(taxonomyPath, definition);
      libraryChanged(context);
      return taxonomy();
    },
  };
}
