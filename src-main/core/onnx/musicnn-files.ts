/**
 * Where the ONNX conversion of MusiCNN lies: the full model and, beside it,
 * the model cut in two after the timbral front-end (`scripts/tfjs-to-onnx.ts`
 * writes all three; the tagger runs the two parts).
 */

/** The two parts of the full model `file` (`x.onnx`): `x.frontend.onnx` and `x.backend.onnx`. */
export function musicnnPartFiles(file: string): { frontEnd: string; backEnd: string } {
  const base = file.endsWith('.onnx') ? file.slice(0, -'.onnx'.length) : file;
  return { frontEnd: `${base}.frontend.onnx`, backEnd: `${base}.backend.onnx` };
}
