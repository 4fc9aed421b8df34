/**
 * What each of MusiCNN's 50 Last.fm tags is: a genre, a mood, an era, a voice
 * or an instrumentation, and under which name it is shown.
 */

/** The tags of Essentia's msd-musicnn-1, in the model's output order (its metadata's `classes`). */
export const MUSICNN_TAGS = [
  'rock', 'pop', 'alternative', 'indie', 'electronic', 'female vocalists', 'dance', '00s', 'alternative rock', 'jazz',
  'beautiful', 'metal', 'chillout', 'male vocalists', 'classic rock', 'soul', 'indie rock', 'Mellow', 'electronica', '80s',
  'folk', '90s', 'chill', 'instrumental', 'punk', 'oldies', 'blues', 'hard rock', 'ambient', 'acoustic',
  'experimental', 'female vocalist', 'guitar', 'Hip-Hop', '70s', 'party', 'country', 'easy listening', 'sexy', 'catchy',
  'funk', 'electro', 'heavy metal', 'Progressive rock', '60s', 'rnb', 'indie pop', 'sad', 'House', 'happy',
] as const;

/** One MusiCNN tag. */
export type MusicnnTag = (typeof MUSICNN_TAGS)[number];

/** The kinds of thing a MusiCNN tag says about a track. */
export const MUSICNN_FACETS = ['genre', 'mood', 'era', 'voice', 'instrumentation'] as const;

/** One facet: genre, mood, era, voice or instrumentation. */
export type MusicnnFacet = (typeof MUSICNN_FACETS)[number];

/**
 * What one tag is. For a genre, `name` is the genre's name in the built-in
 * taxonomy (`DEFAULT_TAXONOMY`); the user's taxonomy may rename it (see
 * `groupMusicnnTags`). For the other facets `name` is the display name.
 */
export interface MusicnnTagFacet {
  readonly facet: MusicnnFacet;
  readonly name: string;
}

/** The maker of one facet's entries. */
const entry = (facet: MusicnnFacet) => (name: string): MusicnnTagFacet => Object.freeze({ facet, name });
const genre = entry('genre');
const mood = entry('mood');
const era = entry('era');
const voice = entry('voice');
const instrumentation = entry('instrumentation');

/**
 * Every MusiCNN tag's facet and name. Tags that are spellings of one thing
 * share a name ("electronic" and "electronica" are Electronic, "female
 * vocalists" and "female vocalist" are Female vocals, "chillout" and "chill"
 * are the mood Chill); their probabilities combine by their maximum.
 * "chillout" and "chill" are a mood, not a genre: on Last.fm they describe
 * relaxed tracks of any genre (lounge jazz, acoustic, trip-hop), and as a genre
 * under Electronic they would count as evidence for Electronic on every calm
 * track, while MusiCNN's electronic, electronica, electro, ambient, House and
 * dance tags already speak for electronic music.
 */
export const MUSICNN_TAG_FACETS: Readonly<Record<MusicnnTag, MusicnnTagFacet>> = Object.freeze({
  'rock': genre('Rock'),
  'pop': genre('Pop'),
  'alternative': genre('Alternative'),
  'indie': genre('Indie'),
  'electronic': genre('Electronic'),
  'female vocalists': voice('Female vocals'),
  'dance': genre('Dance'),
  '00s': era('2000s'),
  'alternative rock': genre('Alternative Rock'),
  'jazz': genre('Jazz'),
  'beautiful': mood('Beautiful'),
  'metal': genre('Metal'),
  'chillout': mood('Chill'),
  'male vocalists': voice('Male vocals'),
  'classic rock': genre('Classic Rock'),
  'soul': genre('Soul'),
  'indie rock': genre('Indie Rock'),
  'Mellow': mood('Mellow'),
  'electronica': genre('Electronic'),
  '80s': era('1980s'),
  'folk': genre('Folk'),
  '90s': era('1990s'),
  'chill': mood('Chill'),
  'instrumental': voice('Instrumental'),
  'punk': genre('Punk'),
  'oldies': era('Oldies'),
  'blues': genre('Blues'),
  'hard rock': genre('Hard Rock'),
  'ambient': genre('Ambient'),
  'acoustic': instrumentation('Acoustic'),
  'experimental': genre('Experimental'),
  'female vocalist': voice('Female vocals'),
  'guitar': instrumentation('Guitar'),
  'Hip-Hop': genre('Hip-Hop'),
  '70s': era('1970s'),
  'party': mood('Party'),
  'country': genre('Country'),
  'easy listening': genre('Easy Listening'),
  'sexy': mood('Sexy'),
  'catchy': mood('Catchy'),
  'funk': genre('Funk'),
  'electro': genre('Electro'),
  'heavy metal': genre('Heavy Metal'),
  'Progressive rock': genre('Progressive Rock'),
  '60s': era('1960s'),
  'rnb': genre('R&B'),
  'indie pop': genre('Indie Pop'),
  'sad': mood('Sad'),
  'House': genre('House'),
  'happy': mood('Happy'),
});
