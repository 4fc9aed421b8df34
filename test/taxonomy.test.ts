import fs from 'node:fs';
import path from 'node:path';
import { parseBuffer, parseFile } from 'music-metadata';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_TAXONOMY } from '../src-main/core/taxonomy/default-taxonomy.ts';
import {
  MODEL_LABELS, canonicalGenre, canonicalGenres, createTaxonomy, displayNameForLabel, genresAgree, labelForGenre, normaliseGenreKey,
  type GenreDefinition, type TaxonomyDefinition,
} from '../src-main/core/taxonomy/taxonomy.ts';
import { defaultTaxonomyPath, loadTaxonomy, saveTaxonomy } from '../src-main/core/taxonomy/taxonomy-file.ts';
import { makeTone, tempDir } from './helpers/fixtures.ts';
import { id3v24Tag, withoutId3 } from './helpers/id3v24.ts';

const taxonomy = createTaxonomy(DEFAULT_TAXONOMY);

/** The default taxonomy with `extra` genres appended. */
const withGenres = (...extra: GenreDefinition[]): TaxonomyDefinition => ({ version: 1, genres: [...DEFAULT_TAXONOMY.genres, ...extra] });

describe('normaliseGenreKey', () => {
  it.each(['Hip Hop', 'hip-hop', 'HipHop', 'hip_hop', 'HIP HOP', ' Hip  Hop! '])('%j → "hiphop"', (raw) => {
    expect(normaliseGenreKey(raw)).toBe('hiphop');
  });

  it.each(['R&B', 'R & B', 'R and B', 'RnB', "R'n'B", 'R’n’B', 'r n b'])('%j → "rnb"', (raw) => {
    expect(normaliseGenreKey(raw)).toBe('rnb');
  });

  it('reads "and" and "n" as the connector only as whole words', () => {
    expect(normaliseGenreKey('Andean Band')).toBe('andeanband');
    expect(normaliseGenreKey('Rock and Roll')).toBe('rocknroll');
    expect(normaliseGenreKey('Nu Soul')).toBe('nusoul');
  });

  it('removes accents whether composed or decomposed, and folds compatibility forms', () => {
    expect(normaliseGenreKey('Reggaet\u00f3n')).toBe('reggaeton');
    expect(normaliseGenreKey('Reggaeto\u0301n')).toBe('reggaeton');
    expect(normaliseGenreKey('MÚSICA CLÁSICA')).toBe('musicaclasica');
    expect(normaliseGenreKey('ＲＯＣＫ')).toBe('rock');
  });

  it('keeps the voicing marks of kana, so half-width and full-width spellings match but other words do not', () => {
    expect(normaliseGenreKey('ｼﾞｬｽﾞ')).toBe(normaliseGenreKey('ジャズ'));
    expect(normaliseGenreKey('ジャズ')).not.toBe(normaliseGenreKey('シャス'));
  });

  it('gives punctuation alone the empty key', () => {
    expect(normaliseGenreKey(' - / ')).toBe('');
  });
});

describe('canonicalGenre', () => {
  it.each(['Hip Hop', 'hip-hop', 'HipHop', 'Rap/Hip Hop', 'Rap & Hip-Hop', 'Rap and Hip Hop', 'Hip-Hop/Rap', 'Rap', 'hiphop'])('%j → Hip-Hop', (raw) => {
    expect(canonicalGenre(taxonomy, raw)).toBe('Hip-Hop');
  });

  it.each(['R&B', 'R and B', 'RnB', "R'n'B", 'Rhythm & Blues', 'rhythm and blues'])('%j → R&B', (raw) => {
    expect(canonicalGenre(taxonomy, raw)).toBe('R&B');
  });

  it('maps accented, aliased and subgenre spellings to their own display names', () => {
    expect(canonicalGenre(taxonomy, 'REGGAETÓN')).toBe('Reggaeton');
    expect(canonicalGenre(taxonomy, 'Country and Western')).toBe('Country');
    expect(canonicalGenre(taxonomy, 'heavy-metal')).toBe('Heavy Metal');
    expect(canonicalGenre(taxonomy, 'Punk Rock')).toBe('Punk');
    expect(canonicalGenre(taxonomy, 'Audio Book')).toBe('Audiobook');
    expect(canonicalGenre(taxonomy, 'Drum and Bass')).toBe('Drum & Bass');
  });

  it('returns null for unknown genres, blanks and numeric references', () => {
    expect(canonicalGenre(taxonomy, 'Vaporwave')).toBeNull();
    expect(canonicalGenre(taxonomy, '  ')).toBeNull();
    expect(canonicalGenre(taxonomy, '(17)')).toBeNull();
  });
});

describe('canonicalGenres', () => {
  it.each([
    [['Rock; Pop'], ['Rock', 'Pop']],
    [['Rock / Pop'], ['Rock', 'Pop']],
    [['Rock, Pop'], ['Rock', 'Pop']],
    [['rock|hip hop'], ['Rock', 'Hip-Hop']],
    [['Rap/Hip Hop'], ['Hip-Hop']],
    [['Drum & Bass/Jungle'], ['Drum & Bass/Jungle']],
    [['Rock; Vaporwave'], ['Rock; Vaporwave']],
    [['Singer/Songwriter'], ['Singer-Songwriter']],
    [['Rock;; Pop'], ['Rock', 'Pop']],
    [[' / '], ['/']],
  ])('%j → %j', (raws, expected) => {
    expect(canonicalGenres(taxonomy, raws)).toEqual(expected);
  });

  it('keeps unknown genres verbatim (trimmed), drops blanks, de-duplicates by key and keeps the order', () => {
    expect(canonicalGenres(taxonomy, ['  Vaporwave ', 'hip hop', '', 'Rap', 'VAPORWAVE', 'Pop; Rock', 'rock'])).toEqual(['Vaporwave', 'Hip-Hop', 'Pop', 'Rock']);
  });
});

describe('model labels', () => {
  it('gives each of the ten labels its display name', () => {
    expect(MODEL_LABELS.map((label) => displayNameForLabel(taxonomy, label))).toEqual(['Blues', 'Classical', 'Country', 'Disco', 'Hip-Hop', 'Jazz', 'Metal', 'Pop', 'Reggae', 'Rock']);
  });

  it('throws for an unknown label', () => {
    expect(() => displayNameForLabel(taxonomy, 'electronic')).toThrow('unknown model label "electronic"; the labels are blues, classical, country, disco, hiphop, jazz, metal, pop, reggae, rock');
  });

  it.each([
    ['Heavy Metal', 'metal'], ['Bop', 'jazz'], ['Big Band', 'jazz'], ['Rockabilly', 'rock'], ['Dub', 'reggae'], ['hip hop', 'hiphop'], ['Classical', 'classical'],
    ['House', null], ['Reggaeton', null], ['Ska', null], ['Vaporwave', null],
  ])('labelForGenre(%j) = %j', (raw, label) => {
    expect(labelForGenre(taxonomy, raw)).toBe(label);
  });

  it('genresAgree when any tag genre is the label, an alias of it or under it', () => {
    expect(genresAgree(taxonomy, ['Heavy Metal'], 'metal')).toBe(true);
    expect(genresAgree(taxonomy, ['House', 'Rap'], 'hiphop')).toBe(true);
    expect(genresAgree(taxonomy, ['Techno; Big Band'], 'jazz')).toBe(true);
    expect(genresAgree(taxonomy, ['House'], 'rock')).toBe(false);
    expect(genresAgree(taxonomy, ['Heavy Metal'], 'rock')).toBe(false);
    expect(genresAgree(taxonomy, [], 'rock')).toBe(false);
    expect(() => genresAgree(taxonomy, ['Rock'], 'Rock')).toThrow('unknown model label "Rock"');
  });
});

describe('createTaxonomy', () => {
  it('rejects two genres claiming one key, naming both', () => {
    expect(() => createTaxonomy(withGenres({ name: 'Rap' }))).toThrow('the genre key "rap" is claimed twice: by "Hip-Hop" (alias "Rap") and by "Rap" (name "Rap")');
    expect(() => createTaxonomy(withGenres({ name: 'Vaporwave', aliases: ['r n b'] }))).toThrow('the genre key "rnb" is claimed twice: by "R&B" (name "R&B") and by "Vaporwave" (alias "r n b")');
  });

  it('rejects unknown parents, parent loops, blank names and wrong labels', () => {
    expect(() => createTaxonomy(withGenres({ name: 'Vaporwave', parent: 'Electronik' }))).toThrow('genre "Vaporwave" has the parent "Electronik", which is not a genre in the taxonomy');
    expect(() => createTaxonomy(withGenres({ name: 'A', parent: 'B' }, { name: 'B', parent: 'A' }))).toThrow('the parents of "A" loop back on themselves (A → B → A)');
    expect(() => createTaxonomy(withGenres({ name: 'Vaporwave', aliases: ['--'] }))).toThrow('genre "Vaporwave": the alias "--" has no letter or digit');
    expect(() => createTaxonomy(withGenres({ name: 'Vaporwave', label: 'vaporwave' }))).toThrow('genre "Vaporwave" has the label "vaporwave", which is not a model label');
    expect(() => createTaxonomy(withGenres({ name: 'Vaporwave', label: 'rock' }))).toThrow('the model label "rock" is given to both "Rock" and "Vaporwave"');
    const withoutRock = DEFAULT_TAXONOMY.genres.map(({ label, ...genre }) => (label === 'rock' ? genre : { label, ...genre }));
    expect(() => createTaxonomy({ version: 1, genres: withoutRock })).toThrow('no genre has the model label "rock"; each of the ten');
  });

  it('the default taxonomy is deeply frozen', () => {
    expect(Object.isFrozen(DEFAULT_TAXONOMY)).toBe(true);
    expect(Object.isFrozen(DEFAULT_TAXONOMY.genres)).toBe(true);
    expect(DEFAULT_TAXONOMY.genres.every((genre) => Object.isFrozen(genre) && (!genre.aliases || Object.isFrozen(genre.aliases)))).toBe(true);
  });
});

describe('taxonomy file', () => {
  const dir = tempDir('sonority-taxonomy-');
  const write = (name: string, content: unknown): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };
  const loadError = (file: string) => {
    try {
      loadTaxonomy(file);
    } catch (error) {
      return error as { code: string; message: string };
    }
    throw new Error(`${file} loaded`);
  };

  it('is the built-in taxonomy when the file does not exist', () => {
    const loaded = loadTaxonomy(path.join(dir, 'missing.json'));
    expect(loaded.definition).toBe(DEFAULT_TAXONOMY);
    expect(canonicalGenre(loaded, 'hip hop')).toBe('Hip-Hop');
  });

  it('lives in the user data folder', () => {
    vi.stubEnv('XDG_CONFIG_HOME', '/config');
    try {
      if (process.platform === 'linux') expect(defaultTaxonomyPath()).toBe('/config/Sonority/taxonomy.json');
      else expect(path.basename(defaultTaxonomyPath())).toBe('taxonomy.json');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('reports bad JSON, naming the file', () => {
    const file = write('bad.json', '{"version": 1, "genres": [');
    const { code, message } = loadError(file);
    const prefix = `the genre taxonomy ${file} is invalid: it is not valid JSON (`;
    expect(code).toBe('taxonomy-invalid');
    expect(message.slice(0, prefix.length)).toBe(prefix);
    expect(message).toMatch(/\(.+\)$/);
  });

  const wrong = (genres: unknown[]) => ({ version: 1, genres: [...DEFAULT_TAXONOMY.genres, ...genres] });
  it.each([
    ['wrong-root.json', [1], 'the file must hold an object: {"version": 1, "genres": [...]}'],
    ['version.json', { version: 2, genres: [] }, '"version" must be 1, not 2'],
    ['no-genres.json', { version: 1 }, '"genres" must be a list of genres'],
    ['not-object.json', { version: 1, genres: ['Rock'] }, 'genres[0] must be an object such as {"name": "Rock"}'],
    ['unknown-field.json', { version: 1, genres: [{ name: 'Rock', alias: ['Rock Music'] }] }, 'genres[0] has the unknown field "alias" (a genre has name, label, parent, aliases)'],
    ['no-name.json', { version: 1, genres: [{ label: 'rock' }] }, 'genres[0].name must be a string'],
    ['label-type.json', { version: 1, genres: [{ name: 'Rock', label: 10 }] }, 'genres[0].label ("Rock") must be a string'],
    ['aliases-type.json', { version: 1, genres: [{ name: 'Rock', aliases: 'Rock Music' }] }, 'genres[0].aliases ("Rock") must be a list of strings'],
    ['parent.json', wrong([{ name: 'Vaporwave', parent: 'Electronik' }]), 'genre "Vaporwave" has the parent "Electronik", which is not a genre in the taxonomy'],
    ['collision.json', wrong([{ name: 'Hip Hop' }]), 'the genre key "hiphop" is claimed twice: by "Hip-Hop" (name "Hip-Hop") and by "Hip Hop" (name "Hip Hop")'],
    ['labels.json', { version: 1, genres: [{ name: 'Rock', label: 'rock' }] }, 'no genre has the model labels "blues", "classical", "country", "disco", "hiphop", "jazz", "metal", "pop", "reggae"; each of the ten (blues, classical, country, disco, hiphop, jazz, metal, pop, reggae, rock) must be given to one genre'],
  ])('reports %s exactly', (name, content, problem) => {
    const file = write(name, content);
    expect(loadError(file)).toMatchObject({ code: 'taxonomy-invalid', message: `the genre taxonomy ${file} is invalid: ${problem}` });
  });

  it('reports a folder in place of the file as unreadable', () => {
    const folder = path.join(dir, 'folder.json');
    fs.mkdirSync(folder);
    expect(loadError(folder)).toMatchObject({ code: 'taxonomy-unreadable', message: `cannot read the genre taxonomy ${folder}: expected a file but found a folder` });
  });

  it('saves atomically into a new folder and loads back what it saved', () => {
    const file = path.join(dir, 'nested', 'taxonomy.json');
    saveTaxonomy(file, DEFAULT_TAXONOMY);
    const edited = withGenres({ name: 'Vaporwave', parent: 'Electronic', aliases: ['Vapor Wave'] });
    saveTaxonomy(file, edited);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['taxonomy.json']);
    const loaded = loadTaxonomy(file);
    expect(loaded.definition).toEqual(edited);
    expect(canonicalGenre(loaded, 'vaporwave')).toBe('Vaporwave');
    expect(genresAgree(loaded, ['Heavy Metal'], 'metal')).toBe(true);
  });

  it('leaves no temporary file behind when the rename fails', () => {
    const folder = path.join(dir, 'occupied');
    fs.mkdirSync(path.join(folder, 'taxonomy.json'), { recursive: true });
    expect(() => saveTaxonomy(path.join(folder, 'taxonomy.json'), DEFAULT_TAXONOMY)).toThrow();
    expect(fs.readdirSync(folder)).toEqual(['taxonomy.json']);
  });

  it('refuses to save an invalid taxonomy and leaves the file as it was', () => {
    const file = path.join(dir, 'kept.json');
    saveTaxonomy(file, DEFAULT_TAXONOMY);
    const before = fs.readFileSync(file, 'utf8');
    expect(() => saveTaxonomy(file, withGenres({ name: 'Rap' }))).toThrow(`not writing the genre taxonomy ${file}: the genre key "rap" is claimed twice`);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    expect(fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('numeric ID3v1 genre references (music-metadata resolves them; the taxonomy does not)', () => {
  const dir = tempDir('sonority-taxonomy-tags-');

  it.each([[['(17)'], ['Rock']], [['17'], ['Rock']], [['(17)(9)'], ['Rock', 'Metal']], [['(7)', 'Pop'], ['Hip-Hop', 'Pop']]])('ID3v2.4 TCON %j reads as %j', async (tcon, genres) => {
    const audio = withoutId3(fs.readFileSync(await makeTone(path.join(dir, `tone-${tcon.join('-')}.mp3`), 'mp3', { seconds: 1 })));
    const { common } = await parseBuffer(Buffer.concat([id3v24Tag({ TCON: tcon }), audio]), { mimeType: 'audio/mpeg' });
    expect(common.genre).toEqual(genres);
    expect(canonicalGenres(taxonomy, common.genre ?? [])).toEqual(genres);
  });

  it('a Vorbis comment "(17)" stays as written: an unknown genre, kept verbatim', async () => {
    const { common } = await parseFile(await makeTone(path.join(dir, 'tone.flac'), 'flac', { seconds: 1, tags: { genre: '(17)' } }));
    expect(common.genre).toEqual(['(17)']);
    expect(canonicalGenres(taxonomy, common.genre ?? [])).toEqual(['(17)']);
  });
});
