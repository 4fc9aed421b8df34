import type { Handlers } from './contract.ts';
import type { ServiceContext } from './context.ts';
import { createAppHandlers } from './handlers/app-handlers.ts';
import { createLibraryHandlers } from './handlers/library-handlers.ts';
import { createTrackHandlers } from './handlers/track-handlers.ts';
import { createReviewHandlers } from './handlers/review-handlers.ts';
import { createApplyHandlers } from './handlers/apply-handlers.ts';
import { createScanHandlers } from './handlers/scan-handlers.ts';
import { createSettingsHandlers } from './handlers/settings-handlers.ts';
import { createLearningHandlers } from './handlers/learning-handlers.ts';
import { createPlaylistHandlers } from './handlers/playlist-handlers.ts';
import { createMapHandlers } from './handlers/map-handlers.ts';

/** Every contract method implemented over the core, for one library; the type checker refuses a missing one. */
export function createHandlers(context: ServiceContext): Handlers {
  const { refreshMap, ...map } = createMapHandlers(context);
  // After each scan the map places the new tracks (or fits again) in a worker; a failure there leaves the old map.
  const afterScan = () => void refreshMap().catch((error: Error) => console.warn(`sonority: the library map was not updated: ${error.message}`));
  return {
    ...createAppHandlers(context),
    ...createLibraryHandlers(context),
    ...createTrackHandlers(context),
    ...createReviewHandlers(context),
    ...createApplyHandlers(context),
    ...createScanHandlers(context, afterScan),
    ...createSettingsHandlers(context),
    ...createLearningHandlers(context),
    ...createPlaylistHandlers(context),
    ...map,
  };
}
