import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
// The native modules a global install must build; named so the install runs their scripts whatever npm's policy default.
const NATIVE = 'better-sqlite3,ssh2,cpu-features';

// Installing compiles better-sqlite3 from source when no prebuilt binary can be downloaded (~70 s on 2 cores).
const INSTALL_TIMEOUT = 300_000;

/**
 * What a volunteer does on a machine without a checkout: pack, `npm install -g` the tarball, run `pelote`. The
 * package is packed from the current build with --ignore-scripts: `prepack` would rebuild out/ in place while other
 * test files run the built CLI (the test command builds before the tests run).
 */
describe('the packed npm package, installed without a checkout', () => {
  let work: string;
  let prefix: string;
  let installed: string;
  let pelote: string;

  beforeAll(async () => {
    expect(existsSync(join(ROOT, 'out/main/cli.js')), 'run `npm run build` first').toBe(true);
    work = mkdtempSync(join(tmpdir(), 'pelote-pack-'));
    prefix = join(work, 'prefix');
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, maxBuffer: 16 << 20 });
    const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
    expect(filename).toBe(`pelote-${PACKAGE.version}.tgz`);
    await run('npm', ['install', '--global', '--prefix', prefix, `--allow-scripts=${NATIVE}`, '--no-audit', '--no-fund', `./${filename}`], {
      cwd: work,
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
      maxBuffer: 16 << 20,
    });
    installed = join(prefix, 'lib/node_modules/pelote');
    pelote = join(prefix, 'bin/pelote');
  }, INSTALL_TIMEOUT);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('installs the CLI and the renderer, with only the runtime dependencies (no Electron, no React)', () => {
    expect(existsSync(pelote)).toBe(true);
    expect(readdirSync(join(installed, 'out/renderer/assets')).some((file) => file.endsWith('.js'))).toBe(true);
    expect(existsSync(join(installed, 'src-main'))).toBe(false);
    for (const devOnly of ['electron', 'react', 'vite']) expect(existsSync(join(installed, 'node_modules', devOnly)), devOnly).toBe(false);

    // Every module the bundle leaves external resolves from the installed package, and none is Electron's.
    const bundle = [join(installed, 'out/main/cli.js'), ...readdirSync(join(installed, 'out/main/chunks')).map((file) => join(installed, 'out/main/chunks', file))];
    const externals = new Set<string>();
    for (const file of bundle) {
      for (const [, name] of readFileSync(file, 'utf8').matchAll(/\brequire\("([^".][^"]*)"\)/g)) {
        if (!name!.startsWith('node:') && !builtinModules.includes(name!)) externals.add(name!);
      }
    }
    expect([...externals]).toEqual(expect.arrayContaining(['better-sqlite3', 'ssh2']));
    expect(externals.has('electron')).toBe(false);
    const requireFromPackage = createRequire(join(installed, 'package.json'));
    for (const name of externals) expect(() => requireFromPackage.resolve(name), name).not.toThrow();
  });

  it('pelote --version prints the package version', async () => {
    const { stdout } = await run(pelote, ['--version']);
    expect(stdout).toBe(`${PACKAGE.version}\n`);
  });

  it('pelote serve serves the built renderer on 127.0.0.1 and stops on SIGTERM', async () => {
    const started = startInstalled(pelote, ['--data-dir', join(work, 'serve-data'), '--json', 'serve', '--port', '0']);
    let exitCode: number | null;
    try {
      const { url } = (await started.firstJson) as { url: string };
      const origin = new URL(url).origin;
      expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

      const page = await fetch(`${origin}/`);
      expect(page.status).toBe(200);
      const html = await page.text();
      // The installed build's own page: the CSP <meta> only the production build adds, and its hashed bundle.
      expect(html).toBe(readFileSync(join(installed, 'out/renderer/index.html'), 'utf8'));
      expect(html).toContain('http-equiv="Content-Security-Policy"');
      const script = /src="\.?(\/assets\/index-[\w-]+\.js)"/.exec(html)?.[1];
      expect(script).toBeDefined();
      const bundle = await fetch(`${origin}${script}`);
      expect(bundle.status).toBe(200);
      expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    } finally {
      exitCode = await started.stop();
    }
    expect(exitCode).toBe(0);
  });
});

interface Started {
  /** The first JSON document the command prints (--json output spans several lines). */
  firstJson: Promise<unknown>;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts a long-running installed command (serve, and later watch) as a service manager would. */
function startInstalled(bin: string, args: string[]): Started {
  const child: ChildProcess = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', done));
  const firstJson = new Promise<unknown>((resolveJson, reject) => {
    let text = '';
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      text += line;
      try {
        resolveJson(JSON.parse(text));
        lines.close();
      } catch {
        // Not a whole document yet: keep reading.
      }
    });
    void exited.then((code) => reject(new Error(`${args.join(' ')} exited with code ${code}: ${stderr}`)));
  });
  return {
    firstJson,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
