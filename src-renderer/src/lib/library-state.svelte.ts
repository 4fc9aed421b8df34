import type { LibrarySortColumn, MoodName, ParamsOf, TrackStatus } from '../../../src-main/api/contract.ts';

/** The Library page's search, filters, sort, selected row and scroll position: kept while another page shows, so opening a track and coming back (the Back button too) finds the list as it was. */
export const libraryState = $state({
  search: '',
  status: '' as TrackStatus | '',
  mood: '' as MoodName | '',
  danceability: '',
  decision: '' as NonNullable<ParamsOf<'library'>['decision']> | '',
  sort: undefined as LibrarySortColumn | undefined,
  descending: false,
  selected: 0,
  scrollTop: 0,
});
