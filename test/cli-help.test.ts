import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/fixtures.ts';

/** The commands `sonority --help` lists, in its order. */
async function listedCommands(): Promise<string[]> {
  const { stdout } = await runCli(['--help']);
  return [...new Set([...stdout.matchAll(/^ {2}sonority (\w+)/gm)].map((match) => match[1]!))];
}

describe('sonority help', () => {
  it('lists every command, and `<command> --help` or `-h` prints that command’s usage with exit 0', async () => {
    const commands = await listedCommands();
    expect(commands).toEqual(expect.arrayContaining(['scan', 'status', 'failures', 'features', 'predict', 'review', 'taxonomy', 'tag', 'apply', 'undo', 'settings', 'serve', 'learn', 'trust', 'playlist', 'doctor', 'train', 'eval']));
    const results = await Promise.all(commands.flatMap((name, i) => [runCli([name, i % 2 ? '-h' : '--help']), runCli([name, 'some-argument', i % 2 ? '--help' : '-h'])]));
    commands.forEach((name, i) => {
      for (const result of results.slice(2 * i, 2 * i + 2)) {
        expect(result.code, `${name}: ${result.stderr}`).toBe(0);
        expect(result.stdout).toMatch(new RegExp(`^usage:\\n {2}sonority ${name}\\b`));
        expect(result.stdout).not.toContain(`sonority ${name === 'scan' ? 'status' : 'scan'} `);
        expect(result.stderr).toBe('');
      }
    });
  });

  it('names an unknown option and prints the command’s usage, in plain quoting', async () => {
    const scan = await runCli(['scan', '--bogus', 'x']);
    expect(scan.code).toBe(2);
    expect(scan.stderr).toBe(`sonority: unknown option --bogus for \`sonority scan\`\nusage:\n  sonority scan <folder> [--db FILE] [--json] [--workers N] [--ffmpeg PATH] [--model DIR] [--retry-failed]\n${' '.repeat(20)}scan a folder into the library: tags, analysis and predicted genres\n`);
    const apply = await runCli(['apply', '--frobnicate', '--json']);
    expect(apply.code).toBe(2);
    expect(apply.stderr).toMatch(/^sonority: unknown option --frobnicate for `sonority apply`\nusage:\n {2}sonority apply \[--min-confidence X\]/);
    expect(JSON.parse(apply.stdout)).toMatchObject({ type: 'error', code: 'usage', message: expect.stringMatching(/^unknown option --frobnicate/) });
    const missingValue = await runCli(['status', '--db']);
    expect(missingValue.stderr).toMatch(/^sonority: Option '--db <value>' argument missing\nusage:\n {2}sonority status /);
  });

  it('takes --help after `--` as an argument, not as a request for help', async () => {
    const result = await runCli(['predict', '--', '--help']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });
});
