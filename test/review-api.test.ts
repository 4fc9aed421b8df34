import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewItem } from '../src-main/api/contract.ts';
import { jsonLines, runCli } from './helpers/fixtures.ts';
import { scannedLibrary, serviceFor } from './helpers/service.ts';

type Service = Awaited<ReturnType<typeof serviceFor>>;
/** The helper's library, its files named. */
type Library = Omit<Awaited<ReturnType<typeof scannedLibrary>>, 'files'> & { files: Record<'disputed' | 'untagged' | 'folk' | 'thrash' | 'whale', string> };
const GROUP_OF_STATUS: Record<string, number> = { disputed: 0, untagged: 2, unsure: 3 };
/** The code of the error `call` throws (null when it throws none). */
function codeOf(call: () => unknown): string | null {
  try {
    call();
  } catch (error) {
    return (error as { code: string }).code;
  }
  return null;
}

describe('review queue and decisions through the API', () => {
  let service: Service;
  let library: Library;
  let cliStatus: Map<string, string>;
  const queue = () => service.handlers.reviewQueue({}) as ReviewItem[];
  const idOf = (file: string) => (service.context.db.prepare('SELECT id FROM tracks WHERE path = ?').get(file) as { id: number }).id;
  const decide = (trackId: number, action: 'accept' | 'choose' | 'custom' | 'keep' | 'skip', genres?: string[]) => service.handlers.decide({ trackId, action, genres }) as { decisionId: number; genres: string[] };
  const changes = () => service.events.filter((e) => e.type === 'library-changed').length;

  beforeAll(async () => {
    library = (await scannedLibrary()) as Library;
    service = await serviceFor(library.dbPath, library.root);
    // The CLI's view of every track's status, an independent account of what the queue should hold.
    const review = await runCli(['review', '--json', '--db', library.dbPath]);
    cliStatus = new Map(jsonLines(review.stdout).filter((l) => l.type === 'track').map((l) => [l.path as string, l.status as string]));
  }, 300_000);
  afterAll(() => service?.close());

  it('queues disputed, then ambiguous, then untagged tracks, and leaves agreeing and out-of-distribution ones out', () => {
    const items = queue();
    const queued = new Set(items.map((item) => item.trackId));
    for (const [file, status] of cliStatus) expect(queued.has(idOf(file)), `${file} (${status})`).toBe(['disputed', 'untagged', 'unsure'].includes(status));
    expect(cliStatus.get(library.files.whale)).toBe('out-of-distribution');
    expect(items[0]!.trackId).toBe(idOf(library.files.disputed));
    expect(items.findIndex((i) => i.trackId === idOf(library.files.disputed))).toBeLessThan(items.findIndex((i) => i.trackId === idOf(library.files.untagged)));
    const groups = items.map((item) => (item.status !== 'disputed' && item.ambiguous ? 1 : GROUP_OF_STATUS[item.status]!));
    expect(groups).toEqual([...groups].sort((a, b) => a - b));
    const disputed = items[0]!;
    expect(disputed).toMatchObject({ title: 'Classical Piece', artist: 'Orchestra', genres: ['Metal'], status: 'disputed' });
    const probabilities = disputed.alternatives.map((a) => a.probability);
    expect(probabilities).toEqual([...probabilities].sort((a, b) => b - a));
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    expect(disputed.alternatives[0]!.genre).toBe('Classical');
    expect(disputed.reason).toBe(`Tagged Metal; the model is ${Math.round(probabilities[0]! * 100)}% sure it is Classical.`);
  });

  it('moves a skipped track to the end of the queue', () => {
    const before = queue();
    const skipped = decide(before[0]!.trackId, 'skip');
    expect(skipped.genres).toEqual([]);
    const after = queue();
    expect(after.map((i) => i.trackId)).toEqual([...before.slice(1), before[0]!].map((i) => i.trackId));
    expect(after.at(-1)!.reason).toMatch(/^Skipped earlier\. Tagged Metal;/);
  });

  it('records accept, choose, custom and keep, and each decided track leaves the queue', () => {
    const disputed = idOf(library.files.disputed);
    const untagged = idOf(library.files.untagged);
    const before = queue().map((i) => i.trackId);
    const secondChoice = queue().find((i) => i.trackId === untagged)!.alternatives[1]!.genre;
    const events = changes();
    expect(decide(disputed, 'accept')).toMatchObject({ genres: ['Classical'] });
    expect(decide(untagged, 'choose', [secondChoice])).toMatchObject({ genres: [secondChoice] });
    expect(decide(idOf(library.files.folk), 'custom', ['Country & Western', 'folk'])).toMatchObject({ genres: ['Country', 'Folk'] });
    expect(decide(idOf(library.files.thrash), 'keep')).toMatchObject({ genres: [] });
    expect(changes()).toBe(events + 4);
    const decided = [disputed, untagged, idOf(library.files.folk), idOf(library.files.thrash)];
    expect(queue().map((i) => i.trackId)).toEqual(before.filter((id) => !decided.includes(id)));
    expect(before).toContain(disputed);
    expect(before).toContain(untagged);
  });

  it('refuses decisions it cannot honour, in words', () => {
    const untagged = idOf(library.files.untagged);
    expect(() => decide(untagged, 'choose', ['Polka'])).toThrow(/"Polka" is not one of the model's genres/);
    expect(codeOf(() => decide(untagged, 'custom', [' ']))).toBe('no-genres');
    expect(codeOf(() => decide(999_999, 'accept'))).toBe('not-in-library');
  });

  it('undoes the latest decision, making the previous one current again', () => {
    const disputed = idOf(library.files.disputed);
    const decisions = service.context.db.prepare('SELECT id, action FROM decisions WHERE track_id = ? ORDER BY id').all(disputed) as { id: number; action: string }[];
    expect(decisions.map((d) => d.action)).toEqual(['skip', 'accept']);
    expect(codeOf(() => service.handlers.undoDecision({ decisionId: decisions[0]!.id }))).toBe('not-latest-decision');
    expect(service.handlers.undoDecision({ decisionId: decisions[1]!.id })).toEqual({ trackId: disputed });
    // The skip counts again: the track is back, at the end, as skipped.
    expect(queue().at(-1)).toMatchObject({ trackId: disputed, reason: expect.stringMatching(/^Skipped earlier/) });
    expect(codeOf(() => service.handlers.undoDecision({ decisionId: decisions[1]!.id }))).toBe('no-such-decision');
    expect(service.handlers.undoDecision({ decisionId: decisions[0]!.id })).toEqual({ trackId: disputed });
    expect(queue()[0]).toMatchObject({ trackId: disputed, reason: expect.stringMatching(/^Tagged Metal/) });
  });

  it('refuses to undo a decision once a write has put it into the file, and allows it again after that write is undone', async () => {
    const disputed = idOf(library.files.disputed);
    const { decisionId } = decide(disputed, 'accept');
    const query = { scope: 'decisions' as const, minConfidence: 1 };
    const run = await service.handlers.applyRun({ query, trackIds: [disputed], dryRun: false });
    expect(run).toMatchObject({ written: 1, failed: 0 });
    expect(() => service.handlers.undoDecision({ decisionId })).toThrow(/already written to the file — undo that write batch on the Apply page/);
    expect(await service.handlers.undoBatch({ batchId: run.batchId! })).toMatchObject({ restored: 1, failed: [] });
    expect(service.handlers.undoDecision({ decisionId })).toEqual({ trackId: disputed });
  });
});
