import { DECODE_SAMPLE_RATE, decodeAudio } from '../src-main/core/decode/decoder.ts';
import { computeDescriptors } from '../src-main/core/features/descriptors.ts';
import { planWindows } from '../src-main/core/features/track-windows.ts';

/** Single-thread cost of decoding and of descriptor extraction on the same tracks. */
export interface DescriptorSpeed {
  tracks: number;
  trackMinutes: number;
  analysedMinutes: number;
  decodeMsPerTrackMinute: number;
  descriptorMsPerTrackMinute: number;
  descriptorMsPerAnalysedMinute: number;
  decodeMsPerTrack: number;
  descriptorMsPerTrack: number;
  /** Descriptor time over decode time for the same tracks. */
  descriptorsOverDecode: number;
}

/**
 * Times, in this thread, the whole decode of each file and the descriptors
 * of its analysed windows, as the analysis stage computes them.
 */
export async function measureDescriptorSpeed(files: readonly string[]): Promise<DescriptorSpeed> {
  let decodeMs = 0;
  let descriptorMs = 0;
  let trackSamples = 0;
  let analysedSamples = 0;
  for (const file of files) {
    let started = performance.now();
    const y = await decodeAudio(file);
    decodeMs += performance.now() - started;
    trackSamples += y.length;
    started = performance.now();
    for (const window of planWindows(y.length)) {
      const samples = y.subarray(window.start, window.start + window.length);
      computeDescriptors(samples);
      analysedSamples += samples.length;
    }
    descriptorMs += performance.now() - started;
  }
  const trackMinutes = trackSamples / DECODE_SAMPLE_RATE / 60;
  const analysedMinutes = analysedSamples / DECODE_SAMPLE_RATE / 60;
  return {
    tracks: files.length,
    trackMinutes,
    analysedMinutes,
    decodeMsPerTrackMinute: decodeMs / trackMinutes,
    descriptorMsPerTrackMinute: descriptorMs / trackMinutes,
    descriptorMsPerAnalysedMinute: descriptorMs / analysedMinutes,
    decodeMsPerTrack: decodeMs / files.length,
    descriptorMsPerTrack: descriptorMs / files.length,
    descriptorsOverDecode: descriptorMs / decodeMs,
  };
}
