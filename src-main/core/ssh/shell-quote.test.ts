import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CoreError } from '../errors';
import { command, isRemoteCommand, quote, script } from './shell-quote';
import { shellString } from './testing/shell-strings';

const execFileAsync = promisify(execFile);

async function runLocally(shell: string, text: string): Promise<string> {
  return (await execFileAsync(shell, ['-c', text], { encoding: 'utf8' })).stdout;
}

describe('quote', () => {
  it.each(['sh', 'bash'])('makes %s read back exactly the original string', async (shell) => {
    await fc.assert(
      fc.asyncProperty(shellString, async (text) => {
        expect(await runLocally(shell, `printf %s ${quote(text)}`)).toBe(text);
      }),
      { numRuns: 150 },
    );
  });

  it('leaves plain words bare and quotes everything else', () => {
    expect(quote('/var/lib/nextcloud-data_2.tar')).toBe('/var/lib/nextcloud-data_2.tar');
    expect(quote('')).toBe("''");
    expect(quote("it's")).toBe("'it'\\''s'");
    expect(quote('~')).toBe("'~'");
    expect(quote('=cmd')).toBe("'=cmd'");
  });

  it('rejects NUL bytes, which would truncate the remote command', () => {
    expect(() => quote('a\0b')).toThrow(CoreError);
    expect(() => command('echo', 'a\0b')).toThrow(expect.objectContaining({ code: 'invalid_argument_nul' }));
  });
});

describe('command', () => {
  it('passes each argument as exactly one word', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(shellString, { maxLength: 4 }), async (args) => {
        const cmd = command('printf', '[%s]', ...args);
        const expected = args.length === 0 ? '[]' : args.map((arg) => `[${arg}]`).join('');
        expect(await runLocally('sh', cmd.text)).toBe(expected);
      }),
      { numRuns: 100 },
    );
  });

  it('quotes the program too', () => {
    expect(command('my prog', '-x').text).toBe("'my prog' -x");
  });
});

describe('script and isRemoteCommand', () => {
  it('runs fixed text as is', async () => {
    expect(await runLocally('sh', script('echo a; echo b').text)).toBe('a\nb\n');
  });

  it('only compiles with literal text (checked by tsc)', () => {
    const text: string = 'echo hi';
    // @ts-expect-error -- a non-literal string could carry user text, so script() refuses it at compile time
    expect(script(text).text).toBe('echo hi');
  });

  it('recognises only commands built here', () => {
    expect(isRemoteCommand(command('true'))).toBe(true);
    expect(isRemoteCommand(script('true'))).toBe(true);
    expect(isRemoteCommand({ text: 'true' })).toBe(false);
    expect(isRemoteCommand(Object.freeze({ ...command('true') }))).toBe(false);
  });
});
