/** Encodes a 28-bit syncsafe integer (ID3v2.4 sizes). */
function syncsafe(size: number): Buffer {
  return Buffer.from([(size >> 21) & 0x7f, (size >> 14) & 0x7f, (size >> 7) & 0x7f, size & 0x7f]);
}

/**
 * Builds an ID3v2.4 tag by hand (UTF-8 text frames; a frame's values are
 * NUL-separated, as v2.4 defines multi-valued text), for tagging test files
 * in ways ffmpeg cannot, such as two TCON genre values.
 */
export function id3v24Tag(frames: Record<string, string[]>): Buffer {
  const body = Buffer.concat(Object.entries(frames).map(([id, values]) => {
    const content = Buffer.concat([Buffer.from([3]), Buffer.from(values.join('\0'), 'utf8')]);
    return Buffer.concat([Buffer.from(id, 'latin1'), syncsafe(content.length), Buffer.from([0, 0]), content]);
  }));
  return Buffer.concat([Buffer.from('ID3\x04\x00\x00', 'latin1'), syncsafe(body.length), body]);
}

/** Strips a leading ID3v2 tag from MP3 bytes. */
export function withoutId3(bytes: Buffer): Buffer {
  if (bytes.toString('latin1', 0, 3) !== 'ID3') return bytes;
  const size = (bytes[6]! << 21) | (bytes[7]! << 14) | (bytes[8]! << 7) | bytes[9]!;
  return bytes.subarray(10 + size);
}
