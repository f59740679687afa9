import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import type { Diagnostic } from '@pullguard/engine';
import { displayPath } from '../format/check-result.js';

/**
 * Kustomizations and Helm charts inside the directories `check` walks. Their YAML is not what
 * the cluster runs — kustomize bases are patched, overlays hold partial objects, chart templates
 * are Go templates — so reading it raw would judge the wrong objects or none (a silent pass).
 * They are reported with the command that renders them, and rendered with `--render`.
 */
export interface RenderSource {
  dir: string;
  tool: 'kustomize' | 'helm';
  /** The file that makes `dir` a kustomization or a chart. */
  marker: string;
}

/**
 * The file names kustomize looks for (sigs.k8s.io/kustomize api/konfig/general.go
 * RecognizedKustomizationFileNames) and Helm's chart file (helm.sh/helm/v3 pkg/chartutil
 * ChartfileName).
 */
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const CHART_FILE = 'Chart.yaml';

const TOOLS = {
  kustomize: { command: 'kubectl', what: 'a kustomization', args: (dir: string) => ['kustomize', dir] },
  helm: { command: 'helm', what: 'a Helm chart', args: (dir: string) => ['template', dir] },
} as const;

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * The outermost kustomizations and charts among the directories walked (`roots`, given on the
 * command line) and the files found in them: an overlay's bases and a chart's subcharts are
 * rendered through it. `Kustomization` has no YAML extension, so the walk does not list it: it
 * is looked for in every directory on the way from a root to a listed file.
 */
export function findRenderSources(roots: readonly string[], walked: readonly string[]): RenderSource[] {
  const listed = new Set(walked);
  const directories = new Set<string>(roots);
  for (const file of walked) {
    for (let dir = dirname(file); !directories.has(dir) && dir !== dirname(dir); dir = dirname(dir)) {
      directories.add(dir);
    }
  }
  const sources: RenderSource[] = [];
  for (const dir of [...directories].sort((a, b) => a.length - b.length)) {
    if (sources.some((s) => isInside(dir, s.dir))) continue;
    const kustomization = KUSTOMIZATION_FILES.map((name) => join(dir, name)).find(
      (file) => listed.has(file) || (basename(file) === 'Kustomization' && existsSync(file)),
    );
    const chart = join(dir, CHART_FILE);
    if (kustomization) sources.push({ dir, tool: 'kustomize', marker: kustomization });
    else if (listed.has(chart)) sources.push({ dir, tool: 'helm', marker: chart });
  }
  return sources.sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
}

/** Whether a listed file belongs to one of the sources (and so is not read as raw YAML). */
export function inRenderSource(file: string, sources: readonly RenderSource[]): boolean {
  return sources.some((s) => isInside(file, s.dir));
}

/** The command `--render` runs for a source: `helm template` gets the namespace objects default to. */
function commandLine(source: RenderSource, namespace: string, cwd: string): [string, string[]] {
  const tool = TOOLS[source.tool];
  const dir = displayPath(source.dir, cwd);
  const args = [...tool.args(dir)];
  if (source.tool === 'helm' && namespace !== 'default') args.push('--namespace', namespace);
  return [tool.command, args];
}

/** `kubectl kustomize deploy/prod`: how the source is shown, and the name its objects are reported under. */
export function renderCommand(source: RenderSource, namespace: string, cwd: string): string {
  const [command, args] = commandLine(source, namespace, cwd);
  return [command, ...args].join(' ');
}

/** The warning for a source `check` did not render (no `--render`). */
export function notRendered(source: RenderSource, namespace: string, cwd: string): Diagnostic {
  const dir = displayPath(source.dir, cwd);
  return {
    code: 'SOURCE_NOT_RENDERED',
    message: `${dir} is ${TOOLS[source.tool].what} (${basename(source.marker)}): its files are not checked as raw YAML. Check what it renders: \`${renderCommand(source, namespace, cwd)} | pullguard check -\`, or pass --render`,
    location: { file: source.marker, line: 1, column: 1 },
    severity: 'warning',
  };
}

/** Rendering a chart with many dependencies can take a while; a hung one must not hang `check`. */
const RENDER_TIMEOUT_MS = 5 * 60_000;
/** The API server's limit is 3 MiB per object; 512 MiB of rendered YAML is far beyond any real source. */
const RENDER_MAX_BYTES = 512 * 1024 * 1024;
/** How much of a failed tool's stderr to repeat. */
const STDERR_LINES = 20;

/**
 * Runs `kubectl kustomize DIR` or `helm template DIR` (from the working directory, with the
 * user's environment: kubeconfig, helm repositories). Resolves to the rendered YAML, or to the
 * error to report when the tool is missing, fails or times out.
 */
export function render(
  source: RenderSource,
  namespace: string,
  cwd: string,
): Promise<{ text: string } | { error: Diagnostic }> {
  const [command, args] = commandLine(source, namespace, cwd);
  const fail = (message: string) => ({
    error: {
      code: 'SOURCE_NOT_RENDERED',
      message: `${displayPath(source.dir, cwd)} could not be rendered: ${message}`,
      location: { file: source.marker, line: 1, column: 1 },
      severity: 'error',
    } satisfies Diagnostic,
  });
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd,
        encoding: 'utf8',
        maxBuffer: RENDER_MAX_BYTES,
        timeout: RENDER_TIMEOUT_MS,
        killSignal: 'SIGKILL',
      },
      (error, stdout, stderr) => {
        if (error === null) return resolve({ text: stdout });
        const e = error as NodeJS.ErrnoException & { killed?: boolean; code?: string | number };
        if (e.code === 'ENOENT') return resolve(fail(`--render needs \`${command}\` on PATH`));
        if (e.killed) return resolve(fail(`\`${[command, ...args].join(' ')}\` did not finish in 5 minutes`));
        const said = stderr.trim().split('\n').slice(-STDERR_LINES).join('\n');
        const how = typeof e.code === 'number' ? `exit ${e.code}` : e.message;
        resolve(fail(`\`${[command, ...args].join(' ')}\` failed (${how})${said ? `:\n${said}` : ''}`));
      },
    );
  });
}
