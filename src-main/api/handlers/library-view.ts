import type { LibraryPage, LibraryRow, LibrarySortColumn, ParamsOf } from '../contract.ts';
import { MOOD_THRESHOLD } from '../../core/review/musicnn-view.ts';

type Query = ParamsOf<'library'>;

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

function sortKey(row: LibraryRow, column: LibrarySortColumn): string | number | null {
  if (column === 'genres') return row.genres.join(', ') || null;
  if (column === 'title') return row.title ?? row.fileName;
  if (column === 'danceability') return row.heads?.danceability ?? null;
  return row[column];
}

function compareBy(column: LibrarySortColumn, descending: boolean): (a: LibraryRow, b: LibraryRow) => number {
  return (a, b) => {
    const x = sortKey(a, column);
    const y = sortKey(b, column);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1; // empty cells last either way
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
    return descending ? -order : order;
  };
}

const searchText = (row: LibraryRow) => [row.title, row.fileName, row.folder, row.artist, row.album, row.predicted, ...row.genres, ...row.writtenGenres.map((g) => g.written)]
  .join('\u0001').toLocaleLowerCase();

/** Whether a row passes the decision filter. */
function decisionFilter(query: Query): (row: LibraryRow) => boolean {
  if (query.decision === 'decided') return (row) => row.decision !== null;
  if (query.decision === 'to-write') return (row) => row.decision === 'to-write';
  if (query.decision === 'undecided') return (row) => row.decision === null;
  return () => true;
}

/** Whether a row passes the mood and danceability filters (a row without MusiCNN heads passes neither). */
function musicnnFilter(query: Query): (row: LibraryRow) => boolean {
  const { mood, danceability } = query;
  if (!mood && !danceability) return () => true;
  return (row) => row.heads !== null && (!mood || row.heads[mood] >= MOOD_THRESHOLD)
    && (!danceability || (row.heads.danceability >= danceability[0] && row.heads.danceability <= danceability[1]));
}

function matcher(search: string | undefined, texts: ReadonlyMap<LibraryRow, string>): (row: LibraryRow) => boolean {
  const words = (search ?? '').toLocaleLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return () => true;
  return (row) => words.every((word) => texts.get(row)!.includes(word));
}

/**
 * The library table's rows for one query, over all rows held in memory:
 * filtered by status, mood, danceability, decision and search words (every
 * word in title, file name, folder, artist, album, genres or the genre text
 * as written), sorted (empty cells last), with the last few orderings cached so
 * scrolling only slices.
 */
export function createLibraryView(rows: readonly LibraryRow[]) {
  const orderings = new Map<string, LibraryRow[]>();
  let texts: Map<LibraryRow, string> | null = null;
  const ordered = (query: Query): LibraryRow[] => {
    const key = JSON.stringify([query.search?.trim() ?? '', query.status ?? '', query.sort ?? '', query.descending ?? false, query.mood ?? '', query.danceability ?? '', query.decision ?? '']);
    let result = orderings.get(key);
    if (!result) {
      texts ??= new Map(rows.map((row) => [row, searchText(row)]));
      const search = matcher(query.search, texts);
      const musicnn = musicnnFilter(query);
      const decided = decisionFilter(query);
      result = rows.filter((row) => (!query.status || row.status === query.status) && musicnn(row) && decided(row) && search(row));
      if (query.sort) result.sort(compareBy(query.sort, query.descending ?? false));
      if (orderings.size >= 8) orderings.delete(orderings.keys().next().value!);
      orderings.set(key, result);
    }
    return result;
  };
  return {
    /** One page of the query's rows. */
    page(query: Query): LibraryPage {
      const all = ordered(query);
      return { total: all.length, libraryTotal: rows.length, offset: query.offset, rows: all.slice(query.offset, query.offset + query.limit) };
    },
  };
}
