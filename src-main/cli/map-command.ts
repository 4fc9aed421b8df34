import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT_CODES, SonorityError } from '../core/errors.ts';
import { loadTaxonomy } from '../core/taxonomy/taxonomy-file.ts';
import { readModelMetadata } from '../core/model/model-files.ts';
import { updateMap } from '../core/map/update-map.ts';
import { mapTracks } from '../core/map/map-tracks.ts';
import { MAP_COLOURINGS, renderMap, type MapColouring } from '../core/map/render-map.ts';
import { encodePng } from '../core/map/png.ts';
import { withDatabase, writeJsonLine, type CliIo } from './io.ts';

export const MAP_USAGE = 'sonority map [--out map.png] [--colour genre|suggested|mood|danceability|tempo] [--size 1600x1200] [--recompute] [--db FILE] [--model DIR] [--json]';

/** `--size WxH` as pixels. */
function parseSize(text: string): { width: number; height: number } {
  const match = /^(\d+)x(\d+)$/.exec(text);
  const [width, height] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (!match || width < 400 || height < 200 || width > 8000 || height > 8000) throw new SonorityError('usage', `--size takes WIDTHxHEIGHT from 400x200 to 8000x8000 pixels, not "${text}"`);
  return { width, height };
}

/** The shipped genre model's metadata, or null where it is missing (points then have no suggested genre). */
function shippedModelOrNone(): ReturnType<typeof readModelMetadata> | null {
  try {
    return readModelMetadata();
  } catch {
    return null;
  }
}

/**
 * `sonority map`: brings the library map up to date (fitting it when
 * missing, placing new tracks, `--recompute` fits again), prints a summary
 * and with `--out` renders it to a PNG coloured by `--colour`.
 * Exit 0, or 2 when it could not run (no MusiCNN analysis yet, bad options).
 */
export async function mapCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { out: { type: 'string' }, colour: { type: 'string' }, size: { type: 'string' }, recompute: { type: 'boolean' }, db: { type: 'string' }, model: { type: 'string' }, json: { type: 'boolean' } } });
  if (positionals.length > 0) throw new SonorityError('usage', `sonority map takes no folder or file (${positionals.join(' ')}); use --out FILE\nusage: ${MAP_USAGE}`);
  const colour = (values.colour ?? 'genre') as MapColouring;
  if (!MAP_COLOURINGS.includes(colour)) throw new SonorityError('usage', `--colour takes ${MAP_COLOURINGS.join(', ')}, not "${values.colour}"`);
  const size = parseSize(values.size ?? '1600x1200');
  const explicitModel = values.model ?? io.env.SONORITY_MODEL;
  const model = explicitModel ? readModelMetadata(explicitModel) : shippedModelOrNone();
  return withDatabase(values.db, io.env, (db) => {
    const update = updateMap(db, { recompute: values.recompute });
    if (!update.layout) throw new SonorityError('no-embeddings', 'no track of this library has a MusiCNN analysis yet, so there is nothing to lay out; scan a folder first');
    const { layout, tracks } = mapTracks(db, model, loadTaxonomy());
    let legend: string[] = [];
    if (values.out) {
      const rendered = renderMap(tracks, colour, size.width, size.height);
      legend = rendered.legend;
      fs.writeFileSync(values.out, encodePng(rendered.image));
    }
    const summary = { type: 'map', action: update.action, layout, out: values.out ? path.resolve(values.out) : null, colour, legend };
    if (values.json) writeJsonLine(io, summary);
    else {
      const l = layout!;
      io.stdout.write(`Library map (${l.method}, seed ${l.seed}, ${l.embedding}): ${l.tracks} tracks, ${l.placedSinceFit} placed by neighbours since the fit of ${l.computedAt} (${l.seconds.toFixed(1)} s) — ${update.action}\n`);
      if (values.out) io.stdout.write(`Wrote ${size.width}×${size.height} map coloured by ${colour} to ${path.resolve(values.out)} (${legend.join(' · ')})\n`);
    }
    return EXIT_CODES.ok;
  });
}
