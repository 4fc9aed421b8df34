import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SHARED_DATA, jsonLines, makeTone, runCli, tempDir } from './helpers/fixtures.ts';
import { MUSICNN_TAGS } from '../src-main/core/taxonomy/musicnn-tags.ts';

const BOP = path.join(SHARED_DATA, 'songs', 'bop.mp3');
const reference = JSON.parse(fs.readFileSync(path.join(SHARED_DATA, 'musicnn-reference', 'bop.outputs.json'), 'utf8')) as { trackTags: number[] };

describe('sonority predict with MusiCNN', () => {
  let text: Awaited<ReturnType<typeof runCli>>;
  let json: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    text = await runCli(['predict', BOP]);
    json = await runCli(['predict', BOP, '--json']);
  });

  it('prints MusiCNN genres (Jazz on top), moods, heads, the combined opinion and the runtime that ran', () => {
    expect(text.code).toBe(0);
    expect(text.stderr).toMatch(/^MusiCNN msd-musicnn-1 · (onnxruntime-node|TensorFlow\.js)/m);
    expect(text.stdout).toMatch(/ {2}genres:\n {4}Jazz +█/);
    expect(text.stdout).toMatch(/ {2}moods:\n {4}\S.* +[█░]+ +\d+\.\d%/);
    expect(text.stdout).toMatch(/^ {4}danceability +[█░]+ +\d+\.\d%$/m);
    expect(text.stdout).toMatch(/^ {4}MusiCNN: jazz 0\.\d\d$/m);
    expect(text.stdout).toMatch(/^ {4}GTZAN model: \S+ \d+%$/m);
    expect(text.stdout).toMatch(/0:00–0:30 {2}.*\| MusiCNN: Jazz \d+%/);
  });

  it('gives all 50 tags by name in --json, matching the stored Essentia reference', () => {
    expect(json.code).toBe(0);
    const [prediction] = jsonLines(json.stdout);
    const { musicnn, opinion } = prediction!;
    expect(musicnn.abstains).toBeNull();
    expect(Object.keys(musicnn.tags)).toEqual([...MUSICNN_TAGS]);
    MUSICNN_TAGS.forEach((tag, i) => expect(Math.abs(musicnn.tags[tag] - reference.trackTags[i]!), tag).toBeLessThan(0.005));
    expect(Object.keys(musicnn.heads)).toEqual(['danceability', 'aggressive', 'happy', 'relaxed']);
    expect(musicnn.facets.genre[0].name).toBe('Jazz');
    expect(musicnn.windows).toHaveLength(prediction!.timeline.length);
    expect(Object.keys(musicnn.windows[0].tags)).toHaveLength(50);
    expect(musicnn.windows[0].topGenre.genre).toBe('Jazz');
    expect(opinion.experts.map((e: { id: string }) => e.id)).toEqual(['musicnn', 'gtzan']);
    expect(opinion.suggestions[0]).toMatchObject({ genre: 'Jazz', line: expect.stringMatching(/^Jazz \d+%: MusiCNN jazz/) });
  });

  it('says MusiCNN abstains on a file too short for one patch', async () => {
    const tone = await makeTone(path.join(tempDir(), 'tone.mp3'), 'mp3', { seconds: 2 });
    const result = await runCli(['predict', tone]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/MusiCNN abstains: the track is shorter than one 3-second patch/);
    expect(result.stdout).toMatch(/MusiCNN: — \(abstains: /);
    const [prediction] = jsonLines((await runCli(['predict', tone, '--json'])).stdout);
    expect(prediction!.musicnn).toMatchObject({ abstains: expect.any(String), tags: null, heads: null, facets: null });
  });
});
