import type { NetworkSpec } from './network.ts';
import type { TrainingSpec } from './train-member.ts';

/** A model the training protocol compares on valid. */
export interface Candidate {
  name: string;
  summary: string;
  network: Pick<NetworkSpec, 'hidden' | 'members'>;
  training: TrainingSpec;
}

/**
 * The compared models, simplest first (a tie on valid accuracy keeps the
 * simpler one). Settings come from a sweep on valid loss only.
 */
export const CANDIDATES: readonly Candidate[] = [
  {
    name: 'logistic-regression',
    summary: 'multinomial logistic regression, L2 1e-2',
    network: { hidden: [], members: 1 },
    training: { dropout: 0, l2: 1e-2, learningRate: 3e-3, batchSize: 32, maxEpochs: 400, patience: 40 },
  },
  {
    name: 'mlp',
    summary: 'MLP 57-64-10, ReLU, dropout 0.5, L2 1e-2',
    network: { hidden: [64], members: 1 },
    training: { dropout: 0.5, l2: 1e-2, learningRate: 3e-4, batchSize: 32, maxEpochs: 400, patience: 50 },
  },
  {
    name: 'mlp-ensemble',
    summary: 'five such MLPs from different seeds, logits averaged',
    network: { hidden: [64], members: 5 },
    training: { dropout: 0.5, l2: 1e-2, learningRate: 3e-4, batchSize: 32, maxEpochs: 400, patience: 50 },
  },
];
