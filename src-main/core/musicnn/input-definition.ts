/**
 * The input of Essentia's MusiCNN models (`TensorflowInputMusiCNN` and the
 * patching of `TensorflowPredictMusiCNN`), as constants. The models were
 * trained on exactly this front end; none of it may change without new
 * parity references.
 */

/** Audio rate the models read: 16 kHz mono. */
export const MUSICNN_SAMPLE_RATE = 16000;
/** Samples per analysis frame (and FFT size: no zero padding). */
export const MUSICNN_FRAME_SIZE = 512;
/** Samples between frame centres. */
export const MUSICNN_HOP_SIZE = 256;
/** Mel bands per frame, Slaney-spaced over 0 Hz to Nyquist (8 kHz). */
export const MUSICNN_BANDS = 96;
/** Frames per patch: one model input, about 3 s. */
export const MUSICNN_PATCH_FRAMES = 187;
/** Frames between patch starts (Essentia's default `patchHopSize`). */
export const MUSICNN_PATCH_HOP = 93;
/** The compression `log10(1 + MUSICNN_MEL_SCALE · band energy)`. */
export const MUSICNN_MEL_SCALE = 10000;
/**
 * Version of this front end, stored with anything computed from it. Bump it
 * when the frames, window, bands or compression change.
 */
export const MUSICNN_INPUT_VERSION = 'musicnn-input-v1';
