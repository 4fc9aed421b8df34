import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { convertReal, runCli, SHARED_DATA, tempDir } from './fixtures.ts';
import { GTZAN } from './gtzan.ts';

const CLASSICAL = ['00001', '00010', '00030', '00031', '00043', '00050', '00055', '00060', '00070', '00080'];
const ELECTRONIC = ['house', 'techno', 'trance', 'ambient', 'electro'];
const LATIN = ['salsa', 'samba', 'bossa_nova', 'cumbia', 'bolero'];
const RARE = ['funk', 'soul', 'heavy_metal'];

/** Title case of a song's file name under ../shared/data/songs: `bossa_nova` → `Bossa Nova` (its genre, and a title). */
export const songName = (song: string) => song.split('_').map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');

/** The GTZAN clip index: clip id → artist. */
function clipArtists(): Map<string, string> {
  const lines = fs.readFileSync(path.join(GTZAN, 'clips', 'index.tsv'), 'utf8').trim().split('\n').slice(1);
  return new Map(lines.map((line) => line.split('\t')).map((cells) => [cells[1]!, cells[5]!]));
}

/**
 * A real library for library learning and playlists, scanned by the real
 * CLI: ten classical GTZAN clips tagged Classical (their real artists), five
 * electronic and five Latin songs tagged with their subgenres (House, Salsa…:
 * too few alone, learned as Electronic and Latin), three songs of genres too
 * rare to learn, one classical clip mis-tagged Techno, and one untagged.
 */
export async function genreLibrary(): Promise<{ root: string; dbPath: string; mistagged: string; untagged: string; classical: string[]; songs: Record<string, string> }> {
  const root = tempDir('sonority-genres-');
  const dbPath = path.join(tempDir(), 'library.db');
  const artists = clipArtists();
  const clip = (id: string) => path.join(GTZAN, 'clips', `classical.${id}.first15s.flac`);
  const classical = await Promise.all(CLASSICAL.map((id) => convertReal(clip(id), path.join(root, 'classical', `${id}.flac`), 'flac', { genre: 'Classical', artist: artists.get(`classical.${id}`) || '', title: `Classical ${id}` })));
  const songs: Record<string, string> = {};
  for (const song of [...ELECTRONIC, ...LATIN, ...RARE]) {
    songs[song] = await convertReal(path.join(SHARED_DATA, 'songs', `${song}.mp3`), path.join(root, 'songs', `${song}.mp3`), 'mp3', { genre: songName(song), title: songName(song) });
  }
  const mistagged = await convertReal(clip('00090'), path.join(root, 'odd', 'mistagged.flac'), 'flac', { genre: 'Techno', artist: artists.get('classical.00090') || '', title: 'Not Techno' });
  const untagged = await convertReal(clip('00084'), path.join(root, 'odd', 'untagged.flac'), 'flac', { artist: artists.get('classical.00084') || '', title: 'No Genre' });
  const scan = await runCli(['scan', root, '--db', dbPath]);
  expect(scan.code, scan.stderr).toBe(0);
  return { root, dbPath, mistagged, untagged, classical, songs };
}
