/**
 * The playground in a real browser (Debian's chromium driven by playwright-core), loaded from
 * `pullguard serve` and from `pullguard playground --out` behind a plain static server. Every
 * request to /v1/ is blocked, and every request the page makes is recorded: the page must judge
 * with its own engine and contact nothing but its own files. A screenshot of each state is kept
 * in packages/cli/test-artifacts/playground/ (and $PULLGUARD_TEST_REPORT_DIR/playground/).
 * Without /usr/bin/chromium the suite is skipped with a notice (CI installs it: .ci/run).
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_DIR, runCli, startServe } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(CLI_DIR, 'test-artifacts', 'playground');
const available = existsSync(CHROMIUM);
if (!available)
  console.warn(`SKIPPED: playground browser tests need ${CHROMIUM} (apt-get install -y chromium)`);

const POLICY = `apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata:
  name: prod
spec:
  namespaces: ["*"]
  rules:
    - rule: require-digest
    - rule: mutable-tags-require-always
      mutate: true
`;
const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.27
`;
const BROKEN_POLICY = 'apiVersion: pullguard.dev/v1\nkind: PullPolicy\nmetadata: {name: a}}\n';
const PINNING_POLICY = `apiVersion: pullguard.dev/v1
kind: PullPolicy
metadata:
  name: pinned
spec:
  namespaces: ["*"]
  rules:
    - rule: image-exists
    - rule: require-digest
      mutate: true
      action: warn
`;
const POD = `apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
    - name: app
      image: ghcr.io/acme/api:2.3
      imagePullPolicy: IfNotPresent
    - name: gone
      image: ghcr.io/acme/gone:1
      imagePullPolicy: IfNotPresent
`;
const DIGEST = `sha256:${'4a1b'.repeat(16)}`;
const FIXTURES = `ghcr.io/acme/api:2.3:\n  digest: ${DIGEST}\n  index: true\nghcr.io/acme/gone:1: not-found\n`;

let browser: Browser | undefined;
let serve: Awaited<ReturnType<typeof startServe>> | undefined;
let staticServer: Server | undefined;
let outDir: string | undefined;
const origins: Record<string, string> = {};

beforeAll(async () => {
  if (!available) return;
  await rm(ARTIFACTS, { recursive: true, force: true });
  await mkdir(ARTIFACTS, { recursive: true });
  serve = await startServe(['--policy', join(CLI_DIR, '..', '..', 'examples', 'policies')]);
  origins['serve'] = `${serve.url}/playground/`;
  outDir = await mkdtemp(join(tmpdir(), 'pullguard-playground-'));
  const written = await runCli(['playground', '--out', outDir]);
  expect(written.code).toBe(0);
  staticServer = await serveFolder(outDir);
  const address = staticServer.address() as { port: number };
  origins['static'] = `http://127.0.0.1:${address.port}/`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await new Promise((resolve) => (staticServer ? staticServer.close(resolve) : resolve(undefined)));
  if (outDir) await rm(outDir, { recursive: true, force: true });
  console.log(`playground screenshots: ${ARTIFACTS}`);
  const report = process.env['PULLGUARD_TEST_REPORT_DIR'];
  if (report && existsSync(ARTIFACTS)) await cp(ARTIFACTS, join(report, 'playground'), { recursive: true });
});

/** A plain static server, as any web server would serve the folder `playground --out` wrote. */
function serveFolder(dir: string): Promise<Server> {
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
  };
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const name = path === '/' ? 'index.html' : path.slice(1);
    try {
      if (name.includes('..')) throw new Error('outside');
      const body = await readFile(join(dir, name));
      res.writeHead(200, { 'Content-Type': types[extname(name)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

interface Watched {
  page: Page;
  /** Requests to /v1/ (blocked), requests to another origin, console errors, page errors. */
  trouble: string[];
}

async function openPage(
  origin: string,
  url = origin,
  viewport = { width: 1280, height: 800 },
): Promise<Watched> {
  const page = await browser!.newPage({ viewport });
  const trouble: string[] = [];
  const own = new URL(origin).origin;
  await page.route('**/v1/**', (route) => {
    trouble.push(`request to the API: ${route.request().url()}`);
    return route.abort();
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(own) && !r.url().startsWith('data:'))
      trouble.push(`request elsewhere: ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') trouble.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => trouble.push(`page error: ${e.message}`));
  await page.goto(url);
  await evaluated(page);
  return { page, trouble };
}

const evaluated = (page: Page) =>
  page
    .getByRole('status')
    .filter({ hasText: /^Evaluated/ })
    .waitFor({ timeout: 60_000 });

async function setEditor(page: Page, name: string, text: string): Promise<void> {
  const editor = page.getByRole('textbox', { name, exact: true });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  if (text !== '') await page.keyboard.insertText(text);
}

async function editorText(page: Page, name: string): Promise<string> {
  return page
    .getByRole('textbox', { name, exact: true })
    .evaluate((element) =>
      [...element.querySelectorAll('.cm-line')].map((line) => line.textContent).join('\n'),
    );
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

describe.skipIf(!available)('the playground in a browser', () => {
  for (const via of ['serve', 'static'] as const) {
    it(`judges a typed policy and manifest locally, with lines, from ${via === 'serve' ? '`pullguard serve`' : '`playground --out` on a static server'}`, async () => {
      const { page, trouble } = await openPage(origins[via]!);
      await setEditor(page, 'Policy', POLICY);
      await setEditor(page, 'Manifests', MANIFEST);
      const web = page
        .getByRole('region', { name: 'Findings' })
        .getByRole('region', { name: 'Deployment web' });
      const digest = web.locator('li.finding[data-rule="require-digest"]');
      await digest.waitFor();
      await expect(digest.getAttribute('data-line')).resolves.toBe('11');
      expect(await digest.textContent()).toContain('nginx:1.27 is not pinned by digest');
      await expect(page.locator('#verdict').textContent()).resolves.toContain('pullguard check exits 1');
      // The rule links to its section of docs/policies.md.
      expect(await digest.locator('a.rule').getAttribute('href')).toBe('../docs/policies.md#require-digest');
      // Clicking the finding moves the Manifests cursor to its line and highlights it.
      await digest.getByRole('button').click();
      await expect(page.locator('.pg-highlight').textContent()).resolves.toContain('image: nginx:1.27');
      const manifests = page.getByRole('textbox', { name: 'Manifests', exact: true });
      expect(await manifests.evaluate((element) => element.matches(':focus'))).toBe(true);
      // The admission answer: the mutating webhook sets imagePullPolicy: Always on the mutable tag.
      const admission = page.getByRole('region', { name: 'Admission' });
      expect(await admission.locator('pre.patch').textContent()).toContain(
        '/spec/template/spec/containers/0/imagePullPolicy',
      );
      await expect(page.getByRole('region', { name: 'Explain image' }).textContent()).resolves.toContain(
        'docker.io/library/nginx:1.27',
      );
      await shot(page, `findings-${via}`);
      expect(trouble).toEqual([]);
      await page.close();
    });
  }

  it('marks a policy syntax error with its code and line:column, in the list and in the editor', async () => {
    const { page, trouble } = await openPage(origins['serve']!);
    await setEditor(page, 'Policy', BROKEN_POLICY);
    const problem = page.getByRole('region', { name: 'Problems' }).locator('li.problem.error').first();
    await problem.waitFor();
    expect(await problem.getAttribute('data-code')).toBe('POLICY_SYNTAX');
    expect(await problem.textContent()).toContain('Policy 3:20');
    await page.locator('.cm-lintRange-error').first().waitFor();
    await expect(page.locator('#verdict').textContent()).resolves.toContain('pullguard check exits 2');
    await shot(page, 'policy-syntax-error');
    expect(trouble).toEqual([]);
    await page.close();
  });

  it('answers registry rules from the Registry fixtures: image-exists and a pinning patch', async () => {
    const { page, trouble } = await openPage(origins['serve']!);
    await setEditor(page, 'Registry', FIXTURES);
    await setEditor(page, 'Manifests', POD);
    await setEditor(page, 'Policy', PINNING_POLICY);
    const exists = page
      .getByRole('region', { name: 'Findings' })
      .getByRole('region', { name: 'Pod api' })
      .locator('li.finding[data-rule="image-exists"]');
    await exists.waitFor();
    expect(await exists.textContent()).toContain('ghcr.io/acme/gone:1');
    await expect(exists.getAttribute('data-line')).resolves.toBe('11');
    const patch = page.getByRole('region', { name: 'Admission' }).locator('pre.patch');
    await patch.waitFor();
    expect(JSON.parse((await patch.textContent()) ?? '')).toContainEqual({
      op: 'replace',
      path: '/spec/containers/0/image',
      value: `ghcr.io/acme/api:2.3@${DIGEST}`,
    });
    await shot(page, 'registry-fixtures');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'registry-fixtures-phone');
    expect(trouble).toEqual([]);
    await page.close();
  });

  it('shares the whole state in the link: a new page restores every editor', async () => {
    const { page, trouble } = await openPage(origins['static']!);
    const state = {
      Policy: POLICY,
      Manifests: MANIFEST,
      Namespaces: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: { env: prod }\n',
      Registry: FIXTURES,
    };
    for (const [name, text] of Object.entries(state)) await setEditor(page, name, text);
    await page.getByRole('button', { name: 'Share' }).click();
    const link = await page.locator('#share-link').inputValue();
    expect(link).toMatch(/#v1=/);
    await page.getByRole('button', { name: 'Theme' }).click();
    await page.getByRole('button', { name: 'Theme' }).click();
    await shot(page, 'share-dark');
    const restored = await openPage(origins['static']!, link);
    for (const [name, text] of Object.entries(state)) {
      expect([name, (await editorText(restored.page, name)).trimEnd()]).toEqual([name, text.trimEnd()]);
    }
    await restored.page
      .getByRole('region', { name: 'Deployment web' })
      .locator('li.finding[data-rule="require-digest"]')
      .waitFor();
    await shot(restored.page, 'share-restored');
    expect([...trouble, ...restored.trouble]).toEqual([]);
    await page.close();
    await restored.page.close();
  });
});
