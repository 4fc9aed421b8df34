/** The review page's keys: one table for the handler and the legend on screen, so they cannot drift apart. */

export type ReviewCommand =
  | { kind: 'next' | 'previous' | 'accept' | 'keep' | 'skip' | 'type' | 'undo' | 'library' }
  /** Play or pause the current track (the card's player answers it). */
  | { kind: 'play' }
  | { kind: 'choose'; index: number };

/** What each key does, as the legend shows it. */
export const REVIEW_KEYS: { keys: string[]; does: string }[] = [
  { keys: ['j', '↓'], does: 'next track' },
  { keys: ['k', '↑'], does: 'previous track' },
  { keys: ['a', 'Enter'], does: "accept the model's genre" },
  { keys: ['1', '…', '9'], does: "choose the model's n-th genre" },
  { keys: ['l'], does: "take your library's suggestion (once learned)" },
  { keys: ['t'], does: "keep the file's tag" },
  { keys: ['s'], does: 'skip for now' },
  { keys: ['g'], does: 'type genres' },
  { keys: ['Space'], does: 'play or pause the track' },
  { keys: ['u', 'Ctrl+Z'], does: 'undo the last decision' },
];

const SIMPLE: Record<string, ReviewCommand['kind']> = {
  j: 'next', ArrowDown: 'next', k: 'previous', ArrowUp: 'previous', a: 'accept', Enter: 'accept', l: 'library', t: 'keep', s: 'skip', g: 'type', u: 'undo', ' ': 'play',
};

/** Whether a key event belongs to a control (typing in a field, pressing a focused button) rather than to the page. */
function forAControl(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  if (!target) return false;
  if (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return true;
  return (target.tagName === 'BUTTON' || target.tagName === 'A') && (event.key === 'Enter' || event.key === ' ');
}

/** The review command a key press asks for, or null (modified keys, keys meant for a control, keys without a meaning here). */
export function reviewCommandFor(event: KeyboardEvent): ReviewCommand | null {
  if (forAControl(event) || event.altKey) return null;
  if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === 'z') return { kind: 'undo' };
  if (event.ctrlKey || event.metaKey) return null;
  if (/^[1-9]$/.test(event.key)) return { kind: 'choose', index: Number(event.key) - 1 };
  const kind = SIMPLE[event.key];
  return kind ? ({ kind } as ReviewCommand) : null;
}
