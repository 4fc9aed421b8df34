import type * as TF from '@tensorflow/tfjs';

/** The TensorFlow.js namespace, whichever package provides it. */
export type Tf = typeof TF;

/** A loaded TensorFlow.js with the name of the backend that runs the models. */
export interface TfRuntime {
  tf: Tf;
  /** `tensorflow` (tfjs-node, native; GPU with tfjs-node-gpu), `wasm` or `cpu`. */
  backend: string;
  /** The package that provided it. */
  source: string;
}

/** Native bindings, tried in order; both are optional and never installed by `npm ci`. */
const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];

async function loadNative(): Promise<TfRuntime | null> {
  for (const name of NATIVE_PACKAGES) {
    try {
      const tf = (await import(name)) as Tf;
      await tf.ready();
      return { tf, backend: tf.getBackend(), source: name };
    } catch {
      // Not installed, or its native library cannot load here: try the next one.
    }
  }
  return null;
}

async function loadPortable(preferred: 'wasm' | 'cpu'): Promise<TfRuntime> {
  const tf = await import('@tensorflow/tfjs');
  await import('@tensorflow/tfjs-backend-wasm');
  // Production mode: no debug checks, and no console banner urging tfjs-node on the cpu backend.
  tf.enableProdMode();
  if (preferred === 'cpu' || !(await tf.setBackend('wasm').catch(() => false))) await tf.setBackend('cpu');
  await tf.ready();
  return { tf, backend: tf.getBackend(), source: '@tensorflow/tfjs' };
}

/**
 * Whether `loadTensorFlow(env)` would try a native package: one of them can
 * be resolved and `SONORITY_TF_BACKEND` does not pick a portable backend.
 * Nothing is loaded (it may still fail to load, where its library is missing).
 */
export function nativeTensorFlowInstalled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.SONORITY_TF_BACKEND === 'wasm' || env.SONORITY_TF_BACKEND === 'cpu') return false;
  return NATIVE_PACKAGES.some((name) => {
    try {
      return Boolean(import.meta.resolve(name));
    } catch {
      return false;
    }
  });
}

let loaded: Promise<TfRuntime> | undefined;

/**
 * Loads TensorFlow.js once per process: `@tensorflow/tfjs-node(-gpu)` when
 * installed (an optional peer dependency), else `@tensorflow/tfjs` on the
 * wasm backend (cpu if wasm cannot start). `SONORITY_TF_BACKEND=wasm|cpu`
 * skips the native packages and picks a portable backend.
 */
export function loadTensorFlow(env: NodeJS.ProcessEnv = process.env): Promise<TfRuntime> {
  loaded ??= (async () => {
    const forced = env.SONORITY_TF_BACKEND;
    if (forced === 'wasm' || forced === 'cpu') return loadPortable(forced);
    return (await loadNative()) ?? loadPortable('wasm');
  })();
  return loaded;
}

/** One line for logs: which TensorFlow.js backend runs the models. */
export function describeRuntime(runtime: TfRuntime): string {
  return `TensorFlow.js backend: ${runtime.backend} (${runtime.source})`;
}
