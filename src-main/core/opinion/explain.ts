/**
 * The combined opinion in one line each, for the Track page and the CLI:
 * what each expert says, why a genre is suggested, why a tag is disputed.
 */
import type { TagDispute, GenreSuggestion } from './combine.ts';
import type { BroadGenreEvidence, ExpertOpinion } from './expert.ts';

const percent = (p: number) => `${Math.round(p * 100)}%`;

/** An expert's number as it gives it: a probability as a percentage, a tag probability as a decimal. */
function shown(kind: ExpertOpinion['kind'], score: number): string {
  return kind === 'exclusive' ? percent(score) : score.toFixed(2);
}

function kindOf(experts: readonly ExpertOpinion[], id: string): ExpertOpinion['kind'] {
  return experts.find((e) => e.id === id)?.kind ?? 'exclusive';
}

/** What an expert's evidence for a broad genre says: "jazz 0.79", "Classical 63%". */
function said(kind: ExpertOpinion['kind'], evidence: BroadGenreEvidence): string {
  return `${evidence.named} ${shown(kind, evidence.score)}`;
}

/**
 * Each expert's top genre, in the given order: "MusiCNN: jazz 0.79; GTZAN
 * model: Classical 63%; your library: —". An abstaining expert shows "—".
 */
export function expertsLine(experts: readonly ExpertOpinion[]): string {
  return experts.map((expert) => {
    const top = expert.abstains === null ? [...expert.scores].sort((a, b) => b.score - a.score)[0] : undefined;
    return `${expert.label}: ${top ? `${top.shownAs} ${shown(expert.kind, top.score)}` : '—'}`;
  }).join('; ');
}

/** Why a genre is suggested: "Jazz 41%: MusiCNN jazz 0.56, GTZAN model Jazz 29% (precision 0.87)". */
export function suggestionLine(experts: readonly ExpertOpinion[], suggestion: GenreSuggestion): string {
  const parts = suggestion.verdicts.map((v) => {
    const precision = v.evidence.precision < 1 ? ` (precision ${v.evidence.precision.toFixed(2)})` : '';
    return `${v.label} ${said(kindOf(experts, v.expert), v.evidence)}${precision}`;
  });
  return `${suggestion.genre} ${percent(suggestion.confidence)}: ${parts.join(', ')}`;
}

/**
 * Why a tag is (or is not) disputed: "Classical: dispute 85% — GTZAN model
 * Classical 8% against Metal 54%; MusiCNN cannot judge Classical" (a judge's
 * recall is named when under 1: "(finds Jazz 76% of the time)").
 */
export function disputeLine(experts: readonly ExpertOpinion[], dispute: TagDispute): string {
  if (!dispute.disputable) return `${dispute.genre}: no expert knows ${dispute.broadGenre}, so the tag cannot be disputed`;
  const judged = dispute.judges.map((j) => {
    const kind = kindOf(experts, j.expert);
    const against = j.doubt > 0 ? ` against ${said(kind, j.favourite)}` : ' (its favourite)';
    const recall = j.evidence.recall < 1 ? ` (finds ${j.evidence.namedGenre} ${percent(j.evidence.recall)} of the time)` : '';
    return `${j.label} ${said(kind, j.evidence)}${against}${recall}`;
  });
  const silent = experts.filter((e) => !dispute.judges.some((j) => j.expert === e.id)).map((e) => `${e.label} cannot judge ${dispute.broadGenre}`);
  return `${dispute.genre}: dispute ${percent(dispute.score)} — ${[...judged, ...silent].join('; ')}`;
}
