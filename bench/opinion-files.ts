/**
 * The files of `../shared/data` whose genre is known, with the genre the
 * opinion evaluation holds true for each (a name of the built-in taxonomy)
 * and why. Files whose genre cannot be told honestly are listed too, with a
 * null genre and the reason, so the choice is visible.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SHARED_DATA } from './opinion-experts.ts';

/** Where a file comes from: songs and recordings are unseen by the GTZAN model; every GTZAN clip here is in its train or valid split. */
export type FileGroup = 'song' | 'recording' | 'gtzan-clip';

/** One file of the evaluation. */
export interface LabelledFile {
  /** Path relative to `../shared/data`. */
  file: string;
  group: FileGroup;
  /** The true genre (built-in taxonomy name), or null: excluded from the genre measures. */
  genre: string | null;
  /** Why this genre (or why none). */
  basis: string;
  /** For artist-grouped folds; null = its own group. */
  artist: string | null;
  /** Music (false for speech, birdsong, a whale, a dog). */
  music: boolean;
}

/** The 24 songs, by file name (`ambient.mp3` and `house.mp3` swapped, as `../shared/README.md` measured). */
const SONGS: Record<string, string> = {
  afrobeat: 'Afrobeat', bolero: 'Bolero', bop: 'Bebop', bossa_nova: 'Bossa Nova', contemporary_jazz: 'Contemporary Jazz',
  cumbia: 'Cumbia', disco: 'Disco', doo_wop: 'Doo-Wop', dub: 'Dub', electro: 'Electro', europop: 'Europop', funk: 'Funk',
  gospel: 'Gospel', heavy_metal: 'Heavy Metal', house: 'Ambient', ambient: 'House', indie_rock: 'Indie Rock', punk: 'Punk',
  salsa: 'Salsa', samba: 'Samba', soul: 'Soul', swing: 'Swing', techno: 'Techno', trance: 'Trance',
};

/** The 14 recordings, by their `.txt`. */
const RECORDINGS: { stem: string; genre: string | null; basis: string; artist: string; music: boolean }[] = [
  { stem: 'Hungarian_Dance_number_5_-_Allegro_in_F_sharp_minor_(string_orchestra)', genre: 'Classical', basis: 'Brahms, Hungarian Dance No. 5, string orchestra (Musopen)', artist: 'US Army Strings', music: true },
  { stem: 'Kevin_MacLeod_-_P_I_Tchaikovsky_Dance_of_the_Sugar_Plum_Fairy', genre: 'Classical', basis: 'Tchaikovsky arranged by Kevin MacLeod, from his "Classical Sampler"', artist: 'Kevin MacLeod', music: true },
  { stem: 'Kevin_MacLeod_-_Vibe_Ace', genre: 'Jazz', basis: 'Kevin MacLeod, from his "Jazz Sampler"', artist: 'Kevin MacLeod', music: true },
  { stem: 'sorohanro_-_solo-trumpet-06', genre: 'Jazz', basis: 'from a "Jazz Trumpet Loops Pack" (blues and Dorian lines); a solo instrument', artist: 'Mihai Sorohan', music: true },
  { stem: '442789__lena-orsa__happy-music-pistachio-ice-cream-ragtime', genre: 'Jazz', basis: 'a piano ragtime; ragtime is not in the taxonomy and is filed under Jazz here (AllMusic lists it among jazz styles): debatable', artist: 'Lena Orsa', music: true },
  { stem: '147793__setuniman__sweet-waltz-0i-22mi', genre: null, basis: 'a waltz is a dance form, not a genre; its .txt gives no genre', artist: 'Setuniman', music: true },
  { stem: 'Karissa_Hobbs_-_Lets_Go_Fishin', genre: null, basis: 'its .txt gives no genre (album "Age of Flowers" on the Free Music Archive)', artist: 'Karissa Hobbs', music: true },
  { stem: 'admiralbob77_-_Choice_-_Drum-bass', genre: null, basis: 'the drum and bass *stems* of a ccMixter song, not the genre Drum & Bass; the song\'s genre is not given', artist: 'Admiral Bob', music: true },
  { stem: 'pibble', genre: null, basis: 'a dog howling in her sleep: not music', artist: 'Brian McFee', music: false },
  { stem: '198-209-0000', genre: null, basis: 'LibriSpeech reading: not music', artist: 'Heather Barnett', music: false },
  { stem: '3436-172162-0000', genre: null, basis: 'LibriSpeech reading: not music', artist: 'Anders Lankford', music: false },
  { stem: '5703-47212-0000', genre: null, basis: 'LibriSpeech reading: not music', artist: 'Garth Comira', music: false },
  { stem: '456440__inspectorj__bird-whistling-robin-single-13', genre: null, basis: 'a robin: not music', artist: 'InspectorJ', music: false },
  { stem: 'glacier-bay-humpback', genre: null, basis: 'a humpback whale: not music', artist: 'NPS', music: false },
];

/** The GTZAN label's genre in the built-in taxonomy. */
const GTZAN_GENRES: Record<string, string> = {
  blues: 'Blues', classical: 'Classical', country: 'Country', disco: 'Disco', hiphop: 'Hip-Hop', jazz: 'Jazz', metal: 'Metal', pop: 'Pop', reggae: 'Reggae', rock: 'Rock',
};

/** Every evaluation file, songs, then recordings, then GTZAN clips (`clips/index.tsv` order). */
export function opinionFiles(data: string = SHARED_DATA): LabelledFile[] {
  const songs = Object.entries(SONGS).sort(([a], [b]) => a.localeCompare(b)).map(([stem, genre]): LabelledFile => ({
    file: `songs/${stem}.mp3`, group: 'song', genre, artist: null, music: true,
    basis: stem === 'house' || stem === 'ambient' ? `named ${stem}, but swapped at the source (../shared/README.md)` : 'its file name',
  }));
  const recordings = RECORDINGS.map(({ stem, ...rest }): LabelledFile => ({ file: `recordings/${stem}.hq.ogg`, group: 'recording', ...rest }));
  const [, ...rows] = fs.readFileSync(path.join(data, 'gtzan', 'clips', 'index.tsv'), 'utf8').trim().split('\n').map((line) => line.split('\t'));
  const clips = rows.map(([file, , label, split, , artist]): LabelledFile => ({
    file: `gtzan/clips/${file}`, group: 'gtzan-clip', genre: GTZAN_GENRES[label!]!, basis: `GTZAN label (${split} split)`, artist: artist || null, music: true,
  }));
  return [...songs, ...recordings, ...clips];
}
