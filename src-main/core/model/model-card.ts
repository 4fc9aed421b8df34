import type { TrainedGenreModel } from './train-genre-model.ts';
import type { GenreModelMetadata } from './model-files.ts';
import type { ClassificationReport } from './metrics.ts';
import { thresholdCoverage } from './decision.ts';

/** Facts about the training run that the trained model itself does not hold. */
export interface TrainingContext {
  table: string;
  trainCount: number;
  validCount: number;
  backend: string;
  tfjsVersion: string;
  parameters: number;
  weightsBytes: number;
  inference: { backend: string; msPerTrack: number; windowsPerTrack: number };
}

/** The model card as stored in `card.json`. */
export type ModelCard = ReturnType<typeof buildModelCard>;

function summary(report: ClassificationReport) {
  const { accuracy, top2, top3, macroF1, ece, nll } = report;
  return { accuracy, top2, top3, macroF1, ece, nll };
}

/** The machine-readable model card of a trained model. */
export function buildModelCard(trained: TrainedGenreModel, metadata: GenreModelMetadata, context: TrainingContext) {
  return {
    modelId: metadata.id,
    featureSet: metadata.featureSet,
    labels: metadata.labels,
    trainingData: { table: context.table, train: context.trainCount, valid: context.validCount, shippedFitRows: trained.trainedIds.length },
    protocol: 'Fault-filtered artist split. Every candidate is fitted on train and early-stopped on valid loss; the best valid accuracy is chosen; the temperature is fitted on valid; the shipped weights are a refit on train+valid with each member\'s early-stopped epoch count, from the same seed.',
    seed: trained.seed,
    candidates: trained.candidates.map((c) => ({ name: c.name, summary: c.summary, epochs: c.memberEpochs, trainingSeconds: c.seconds, valid: summary(c.valid) })),
    chosen: trained.chosen.name,
    valid: { ...summary(trained.valid), perClass: trained.valid.perClass, confusion: trained.valid.confusion },
    calibration: trained.calibration,
    decision: { ...metadata.decision, onValid: thresholdCoverage(trained.validProbabilities, trained.validTruth, metadata.decision.confidentProbability) },
    outOfDistribution: { threshold: metadata.ood.threshold, quantile: metadata.ood.thresholdQuantile, shrinkage: metadata.ood.shrinkage },
    size: { parameters: context.parameters, weightsBytes: context.weightsBytes },
    inference: context.inference,
    training: { backend: context.backend, tfjsVersion: context.tfjsVersion, seconds: trained.seconds },
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const f3 = (x: number) => x.toFixed(3);

/** Sentences naming every valid metric on which another candidate beats the chosen one. */
function whereBaselinesWin(card: ModelCard): string[] {
  const chosen = card.candidates.find((c) => c.name === card.chosen)!.valid;
  const metrics = [['accuracy', true, pct], ['top2', true, pct], ['top3', true, pct], ['macroF1', true, f3], ['nll', false, f3]] as const;
  return card.candidates.filter((c) => c.name !== card.chosen).flatMap((c) => {
    const wins = metrics.filter(([key, higher]) => (higher ? c.valid[key] > chosen[key] : c.valid[key] < chosen[key]));
    return wins.length ? [`${c.name} beats the chosen model on ${wins.map(([key, , show]) => `${key} (${show(c.valid[key])} vs ${show(chosen[key])})`).join(', ')}.`] : [];
  });
}

/** The short human model card (`MODEL_CARD.md`), pointing at the confusion-matrix image. */
export function modelCardMarkdown(card: ModelCard, confusionImage: string): string {
  const rows = card.candidates.map((c) => `| ${c.name}${c.name === card.chosen ? ' (chosen)' : ''} | ${c.summary} | ${pct(c.valid.accuracy)} | ${pct(c.valid.top2)} | ${pct(c.valid.top3)} | ${f3(c.valid.macroF1)} | ${f3(c.valid.nll)} | ${c.epochs.join(', ')} |`);
  const perClass = card.valid.perClass.map((c) => `| ${c.name} | ${f3(c.precision)} | ${f3(c.recall)} | ${f3(c.f1)} | ${c.support} |`);
  const { calibration: cal, decision, inference } = card;
  return `# Model card: ${card.modelId}

Genre classifier over the 57 GTZAN descriptors (feature set \`${card.featureSet}\`) of each 30-second window; a track's probabilities are the mean of its windows'.
Labels: ${card.labels.join(', ')}.

## Data and protocol
${card.trainingData.table}: ${card.trainingData.train} train and ${card.trainingData.valid} valid clips (artist-filtered, fault-filtered split). ${card.protocol} Seed ${card.seed}.
The valid figures below are from the model fitted on train only; the shipped weights have also seen valid, so no figure here is a test score.

## Candidates (valid, before temperature scaling)
| model | what | accuracy | top-2 | top-3 | macro F1 | NLL | epochs |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}

The choice is by valid accuracy alone. With ${card.trainingData.valid} valid clips one clip is ${pct(1 / card.trainingData.valid)} and the standard error of an accuracy near 45% is about ${pct(Math.sqrt(0.45 * 0.55 / card.trainingData.valid))}, so the candidates are not reliably apart. ${whereBaselinesWin(card).join(' ') || 'No other candidate beats the chosen one on any valid metric.'}

## Chosen model on valid (temperature-scaled)
Accuracy ${pct(card.valid.accuracy)}, top-2 ${pct(card.valid.top2)}, top-3 ${pct(card.valid.top3)}, macro F1 ${f3(card.valid.macroF1)}.

| genre | precision | recall | F1 | support |
|---|---|---|---|---|
${perClass.join('\n')}

![Confusion matrix on valid](${confusionImage})

## Calibration
Temperature ${f3(cal.temperature)} (fitted on valid). ECE (15 bins) ${f3(cal.eceBefore)} before, ${f3(cal.eceAfter)} after scaling; NLL ${f3(cal.nllBefore)} → ${f3(cal.nllAfter)}. The "after" figures cross-fit the temperature on valid's two halves (each half scaled by the other's fit). The temperature comes from the model fitted on train only and is carried over to the refit, whose own calibration cannot be measured without unseen data.

## Decisions
A genre is suggested only when the calibrated top probability is at least ${decision.confidentProbability} and the track is in distribution: on valid that covers ${pct(decision.onValid.coverage)} of clips, ${decision.onValid.accuracy === null ? 'none' : pct(decision.onValid.accuracy)} of them right. Ambiguous: top two within ${decision.ambiguousMargin}.
Out of distribution: median window Mahalanobis distance (shrinkage ${card.outOfDistribution.shrinkage}, divided by √57) above ${f3(card.outOfDistribution.threshold)}, the ${card.outOfDistribution.quantile} quantile of held-out training distances (five folds). How well it separates speech and field recordings from music: \`npm run bench:ood\` (figures in the README).

## Size and speed
${card.size.parameters} parameters, ${card.size.weightsBytes} bytes of weights. Inference ${inference.msPerTrack.toFixed(2)} ms per track of ${inference.windowsPerTrack} windows on the ${inference.backend} backend. Training took ${card.training.seconds.toFixed(1)} s on the ${card.training.backend} backend (TensorFlow.js ${card.training.tfjsVersion}).
`;
}
