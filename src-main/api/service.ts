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

/** Every contract method implemented over the core, for one library; the type checker refuses a missing one. */
export function createHandlers(context: ServiceContext): Handlers {
  return {
    ...createAppHandlers(context),
    ...createLibraryHandlers(context),
    ...createTrackHandlers(context),
    ...createReviewHandlers(context),
    ...createApplyHandlers(context),
    ...createScanHandlers(context),
    ...createSettingsHandlers(context),
    ...createLearningHandlers(context),
    ...createPlaylistHandlers(context),
  };
}
