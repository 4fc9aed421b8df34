import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Writes `text` to `filePath` atomically (a flushed temporary file in the same folder, renamed over it), creating the folder if needed. */
export function writeTextFileAtomically(filePath: string, text: string): void {
  fs.mkdirSync(path.dirname(filePath), { recursive: true });
  const temporary = path.join(path.dirname(filePath), `.${path.basename(filePath)}.${crypto.randomUUID()}.tmp`);
  try {
    fs.writeFileSync(temporary, text, { flush: true });
    fs.renameSync(temporary, filePath);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/** Writes `value` as indented JSON to `filePath` atomically (see `writeTextFileAtomically`). */
export function writeJsonFileAtomically(filePath: string, value: unknown): void {
  writeTextFileAtomically(filePath, `${JSON.stringify(value, null, 2)}\n`);
}
