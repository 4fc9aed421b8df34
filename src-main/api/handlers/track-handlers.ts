import type { Handlers } from '../contract.ts';
import type { ServiceContext } from '../context.ts';
import { readTrack } from '../../core/db/track-records.ts';
import { describeTrack } from '../../core/review/track-detail.ts';
import { genreNames } from '../../core/review/genre-names.ts';
import { melSpectrogramImage } from '../../core/analysis/mel-spectrogram.ts';
import { loadTaxonomy } from '../../core/taxonomy/taxonomy-file.ts';

/** The track view: one track's details and its mel spectrogram, by id, and the genre names to complete when tagging it. */
export function createTrackHandlers(context: ServiceContext): Pick<Handlers, 'trackDetail' | 'genreNames' | 'trackSpectrogram'> {
  return {
    trackDetail: ({ trackId }) => describeTrack(context.db, trackId, context.model?.metadata ?? null, loadTaxonomy(context.taxonomyPath)),
    genreNames: () => genreNames(context.db, loadTaxonomy(context.taxonomyPath)),
    trackSpectrogram: async ({ trackId }) => {
      const image = await melSpectrogramImage(readTrack(context.db, trackId).path, { ffmpegPath: context.ffmpegPath });
      return { ...image, pixels: Buffer.from(image.pixels.buffer, image.pixels.byteOffset, image.pixels.byteLength).toString('base64') };
    },
  };
}
