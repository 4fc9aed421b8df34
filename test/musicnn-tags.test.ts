import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TAXONOMY } from '../src-main/core/taxonomy/default-taxonomy.ts';
import { groupMusicnnTags } from '../src-main/core/taxonomy/musicnn-facets.ts';
import { MUSICNN_FACETS, MUSICNN_TAGS, MUSICNN_TAG_FACETS, type MusicnnFacet, type MusicnnTag } from '../src-main/core/taxonomy/musicnn-tags.ts';
import { broaderGenres, canonicalGenre, createTaxonomy, displayNameForLabel, labelForGenre, type GenreDefinition, type TaxonomyDefinition } from '../src-main/core/taxonomy/taxonomy.ts';
import { loadTaxonomy, saveTaxonomy } from '../src-main/core/taxonomy/taxonomy-file.ts';
import { REPO_ROOT, tempDir } from './helpers/fixtures.ts';

const builtIn = createTaxonomy(DEFAULT_TAXONOMY);

/** Every tag in model order: facet, name, and for a genre its built-in parents nearest first and its GTZAN label (through parents). */
const TABLE: [MusicnnTag, MusicnnFacet, string, string[]?, string?][] = [
  ['rock', 'genre', 'Rock', [], 'rock'],
  ['pop', 'genre', 'Pop', [], 'pop'],
  ['alternative', 'genre', 'Alternative', ['Rock'], 'rock'],
  ['indie', 'genre', 'Indie', ['Rock'], 'rock'],
  ['electronic', 'genre', 'Electronic', []],
  ['female vocalists', 'voice', 'Female vocals'],
  ['dance', 'genre', 'Dance', ['Electronic']],
  ['00s', 'era', '2000s'],
  ['alternative rock', 'genre', 'Alternative Rock', ['Rock'], 'rock'],
  ['jazz', 'genre', 'Jazz', [], 'jazz'],
  ['beautiful', 'mood', 'Beautiful'],
  ['metal', 'genre', 'Metal', [], 'metal'],
  ['chillout', 'mood', 'Chill'],
  ['male vocalists', 'voice', 'Male vocals'],
  ['classic rock', 'genre', 'Classic Rock', ['Rock'], 'rock'],
  ['soul', 'genre', 'Soul', []],
  ['indie rock', 'genre', 'Indie Rock', ['Rock'], 'rock'],
  ['Mellow', 'mood', 'Mellow'],
  ['electronica', 'genre', 'Electronic', []],
  ['80s', 'era', '1980s'],
  ['folk', 'genre', 'Folk', []],
  ['90s', 'era', '1990s'],
  ['chill', 'mood', 'Chill'],
  ['instrumental', 'voice', 'Instrumental'],
  ['punk', 'genre', 'Punk', ['Rock'], 'rock'],
  ['oldies', 'era', 'Oldies'],
  ['blues', 'genre', 'Blues', [], 'blues'],
  ['hard rock', 'genre', 'Hard Rock', ['Rock'], 'rock'],
  ['ambient', 'genre', 'Ambient', ['Electronic']],
  ['acoustic', 'instrumentation', 'Acoustic'],
  ['experimental', 'genre', 'Experimental', []],
  ['female vocalist', 'voice', 'Female vocals'],
  ['guitar', 'instrumentation', 'Guitar'],
  ['Hip-Hop', 'genre', 'Hip-Hop', [], 'hiphop'],
  ['70s', 'era', '1970s'],
  ['party', 'mood', 'Party'],
  ['country', 'genre', 'Country', [], 'country'],
  ['easy listening', 'genre', 'Easy Listening', []],
  ['sexy', 'mood', 'Sexy'],
  ['catchy', 'mood', 'Catchy'],
  ['funk', 'genre', 'Funk', []],
  ['electro', 'genre', 'Electro', ['Electronic']],
  ['heavy metal', 'genre', 'Heavy Metal', ['Metal'], 'metal'],
  ['Progressive rock', 'genre', 'Progressive Rock', ['Rock'], 'rock'],
  ['60s', 'era', '1960s'],
  ['rnb', 'genre', 'R&B', []],
  ['indie pop', 'genre', 'Indie Pop', ['Pop'], 'pop'],
  ['sad', 'mood', 'Sad'],
  ['House', 'genre', 'House', ['Electronic']],
  ['happy', 'mood', 'Happy'],
];

/** A probability vector in model order: `value` for the tags named, 0 elsewhere. */
const vector = (values: Partial<Record<MusicnnTag, number>>): number[] => MUSICNN_TAGS.map((tag) => values[tag] ?? 0);

/** The built-in taxonomy with `replace(genre)` applied to each genre (null drops it) and `extra` appended. */
const edited = (replace: (genre: GenreDefinition) => GenreDefinition | null, ...extra: GenreDefinition[]): TaxonomyDefinition => ({
  version: 1,
  genres: [...DEFAULT_TAXONOMY.genres.map(replace).filter((genre) => genre !== null), ...extra],
});

describe('MUSICNN_TAG_FACETS', () => {
  it('lists the model\'s 50 tags in its output order', () => {
    const metadata = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, '..', 'shared', 'models', 'msd-musicnn-1', 'msd-musicnn-1.json'), 'utf8')) as { classes: string[] };
    expect(MUSICNN_TAGS).toEqual(metadata.classes);
    expect(new Set(MUSICNN_TAGS).size).toBe(50);
  });

  it('classifies every tag exactly once, as one facet', () => {
    expect(Object.keys(MUSICNN_TAG_FACETS).sort()).toEqual([...MUSICNN_TAGS].sort());
    expect(TABLE.map(([tag]) => tag)).toEqual([...MUSICNN_TAGS]);
    for (const tag of MUSICNN_TAGS) expect(MUSICNN_FACETS).toContain(MUSICNN_TAG_FACETS[tag].facet);
  });

  it.each(TABLE)('%j is a %s: %j', (tag, facet, name) => {
    expect(MUSICNN_TAG_FACETS[tag]).toEqual({ facet, name });
  });

  it.each(TABLE.filter(([, facet]) => facet === 'genre'))('%j is the %s %j under %j (GTZAN label %j)', (tag, _facet, name, parents, label) => {
    expect(canonicalGenre(builtIn, name)).toBe(name);
    expect(broaderGenres(builtIn, name)).toEqual(parents);
    expect(labelForGenre(builtIn, name)).toBe(label ?? null);
  });

  it('names a genre that is also a GTZAN label as the GTZAN model does', () => {
    const shared: [MusicnnTag, string][] = [['rock', 'rock'], ['pop', 'pop'], ['jazz', 'jazz'], ['metal', 'metal'], ['blues', 'blues'], ['country', 'country'], ['Hip-Hop', 'hiphop']];
    for (const [tag, label] of shared) expect(MUSICNN_TAG_FACETS[tag].name).toBe(displayNameForLabel(builtIn, label));
  });

  it('is frozen', () => {
    expect(Object.isFrozen(MUSICNN_TAG_FACETS)).toBe(true);
    expect(MUSICNN_TAGS.every((tag) => Object.isFrozen(MUSICNN_TAG_FACETS[tag]))).toBe(true);
  });
});

describe('groupMusicnnTags', () => {
  it('groups every tag by facet, most probable first, naming the tags behind each name', () => {
    const grouped = groupMusicnnTags(builtIn, vector({ 'jazz': 0.79, 'instrumental': 0.4, 'Mellow': 0.3, 'sad': 0.2, 'oldies': 0.25, '60s': 0.1, 'guitar': 0.05, 'acoustic': 0.15, 'blues': 0.1 }));
    expect(Object.keys(grouped)).toEqual([...MUSICNN_FACETS]);
    expect(grouped.genre.slice(0, 2)).toEqual([{ name: 'Jazz', probability: 0.79, tags: ['jazz'] }, { name: 'Blues', probability: 0.1, tags: ['blues'] }]);
    expect(grouped.genre).toHaveLength(28);
    expect(grouped.mood.map(({ name }) => name)).toEqual(['Mellow', 'Sad', 'Beautiful', 'Chill', 'Party', 'Sexy', 'Catchy', 'Happy']);
    expect(grouped.era.map(({ name, probability }) => [name, probability])).toEqual([['Oldies', 0.25], ['1960s', 0.1], ['2000s', 0], ['1980s', 0], ['1990s', 0], ['1970s', 0]]);
    expect(grouped.voice).toEqual([
      { name: 'Instrumental', probability: 0.4, tags: ['instrumental'] },
      { name: 'Female vocals', probability: 0, tags: ['female vocalists', 'female vocalist'] },
      { name: 'Male vocals', probability: 0, tags: ['male vocalists'] },
    ]);
    expect(grouped.instrumentation).toEqual([{ name: 'Acoustic', probability: 0.15, tags: ['acoustic'] }, { name: 'Guitar', probability: 0.05, tags: ['guitar'] }]);
    const tags = Object.values(grouped).flat().flatMap((score) => score.tags);
    expect(tags.sort()).toEqual([...MUSICNN_TAGS].sort());
  });

  it('combines tags of one name by their maximum, whichever is larger', () => {
    const score = (values: Partial<Record<MusicnnTag, number>>, facet: MusicnnFacet, name: string) => groupMusicnnTags(builtIn, vector(values))[facet].find((s) => s.name === name);
    expect(score({ 'electronic': 0.49, 'electronica': 0.15 }, 'genre', 'Electronic')).toEqual({ name: 'Electronic', probability: 0.49, tags: ['electronic', 'electronica'] });
    expect(score({ 'electronic': 0.1, 'electronica': 0.3 }, 'genre', 'Electronic')?.probability).toBe(0.3);
    expect(score({ 'female vocalists': 0.2, 'female vocalist': 0.6 }, 'voice', 'Female vocals')).toEqual({ name: 'Female vocals', probability: 0.6, tags: ['female vocalists', 'female vocalist'] });
    expect(score({ 'chillout': 0.14, 'chill': 0.02 }, 'mood', 'Chill')).toEqual({ name: 'Chill', probability: 0.14, tags: ['chillout', 'chill'] });
  });

  it('keeps subgenres apart from their parents: electro is Electro, heavy metal is Heavy Metal', () => {
    const { genre } = groupMusicnnTags(builtIn, vector({ 'electro': 0.5, 'electronic': 0.2, 'heavy metal': 0.3, 'metal': 0.4 }));
    expect(genre.slice(0, 4).map(({ name, probability }) => [name, probability])).toEqual([['Electro', 0.5], ['Metal', 0.4], ['Heavy Metal', 0.3], ['Electronic', 0.2]]);
  });

  it('accepts a Float32Array', () => {
    const grouped = groupMusicnnTags(builtIn, Float32Array.from(vector({ 'rnb': 0.5 })));
    expect(grouped.genre[0]).toEqual({ name: 'R&B', probability: 0.5, tags: ['rnb'] });
  });

  it('refuses a vector that is not 50 probabilities', () => {
    expect(() => groupMusicnnTags(builtIn, new Float32Array(200))).toThrow('MusiCNN gives 50 tag probabilities, not 200');
    expect(() => groupMusicnnTags(builtIn, vector({ 'sad': Number.NaN }))).toThrow('the probability of the MusiCNN tag "sad" is NaN, not a number between 0 and 1');
    expect(() => groupMusicnnTags(builtIn, vector({ 'rock': 1.5 }))).toThrow('the probability of the MusiCNN tag "rock" is 1.5, not a number between 0 and 1');
  });
});

describe('groupMusicnnTags through a user\'s taxonomy', () => {
  const genreNames = (definition: TaxonomyDefinition, values: Partial<Record<MusicnnTag, number>>) =>
    groupMusicnnTags(createTaxonomy(definition), vector(values)).genre;

  it('follows a renamed genre by its GTZAN label, and one renamed with an old spelling by that spelling', () => {
    const definition = edited((genre) => {
      if (genre.name === 'Hip-Hop') return { name: 'Rap Music', label: 'hiphop' };
      if (genre.name === 'Electronic') return { name: 'Électronique', aliases: ['Electronica'] };
      const parent = ({ 'Hip-Hop': 'Rap Music', 'Electronic': 'Électronique' } as Record<string, string>)[genre.parent ?? ''];
      return parent ? { ...genre, parent } : genre;
    });
    const genres = genreNames(definition, { 'Hip-Hop': 0.6, 'electronic': 0.3, 'electronica': 0.4 });
    expect(genres[0]).toEqual({ name: 'Rap Music', probability: 0.6, tags: ['Hip-Hop'] });
    expect(genres[1]).toEqual({ name: 'Électronique', probability: 0.4, tags: ['electronic', 'electronica'] });
    expect(genres.find(({ name }) => name === 'House')).toEqual({ name: 'House', probability: 0, tags: ['House'] });
  });

  it('merges tags whose genres the user made one by an alias, by their maximum', () => {
    const definition = edited((genre) => (genre.name === 'Indie' ? null : genre.name === 'Indie Rock' ? { ...genre, aliases: ['Indie'] } : genre));
    const genres = genreNames(definition, { 'indie': 0.35, 'indie rock': 0.2 });
    expect(genres[0]).toEqual({ name: 'Indie Rock', probability: 0.35, tags: ['indie', 'indie rock'] });
    expect(genres.filter(({ name }) => name === 'Indie')).toEqual([]);
  });

  it('folds a genre the user\'s taxonomy lacks into its nearest built-in parent it has, else keeps the built-in name', () => {
    const definition = edited((genre) => (['Heavy Metal', 'Experimental', 'House', 'Deep House'].includes(genre.name) ? null : genre));
    const genres = genreNames(definition, { 'heavy metal': 0.3, 'metal': 0.2, 'House': 0.25, 'experimental': 0.1 });
    expect(genres.slice(0, 4)).toEqual([
      { name: 'Metal', probability: 0.3, tags: ['metal', 'heavy metal'] },
      { name: 'Electronic', probability: 0.25, tags: ['electronic', 'electronica', 'House'] },
      { name: 'Experimental', probability: 0.1, tags: ['experimental'] },
      { name: 'Rock', probability: 0, tags: ['rock'] },
    ]);
  });

  it('resolves through an edited taxonomy.json saved and loaded by the taxonomy file', () => {
    const file = path.join(tempDir('sonority-musicnn-taxonomy-'), 'taxonomy.json');
    saveTaxonomy(file, edited((genre) => (genre.name === 'R&B' ? { name: 'Contemporary R&B', aliases: ['RnB'] } : genre)));
    const grouped = groupMusicnnTags(loadTaxonomy(file), vector({ 'rnb': 0.45, 'Progressive rock': 0.3 }));
    expect(grouped.genre.slice(0, 2)).toEqual([
      { name: 'Contemporary R&B', probability: 0.45, tags: ['rnb'] },
      { name: 'Progressive Rock', probability: 0.3, tags: ['Progressive rock'] },
    ]);
  });
});
