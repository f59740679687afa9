/**
 * What the main thread and the plugin workers say to each other. Everything here crosses a thread
 * by structured clone: data only, never a function or a prepared option value (those stay in the
 * worker that made them).
 */
import type { MessagePort } from 'node:worker_threads';
import type { ErrorCode } from '../errors.js';
import type { RuleResult } from '../evaluate/run-rule.js';
import type { OptionProblem, RuleEntryContext } from '../rule-contract.js';

/** A plugin module as the worker imports it. */
export interface PluginModule {
  /** As the user wrote it (`./plugins/acme.js`): what every error names. */
  specifier: string;
  url: string;
}

export interface WorkerData {
  modules: readonly PluginModule[];
  /** Bare specifier → file URL: what plugins get when they import the host's own packages. */
  hostModules: Readonly<Record<string, string>>;
  /** Answer with the plugins' descriptions once loaded (one worker of a pool is enough). */
  describe: boolean;
  /** The control worker's channel for synchronous `prepare` calls (see control-worker.ts). */
  control?: { port: MessagePort; flags: SharedArrayBuffer } | undefined;
}

/** A rule's contract fields as data, read once in the worker. */
export type DescribedRule =
  | {
      kind: 'rule';
      /** id, description, defaultAction, hint, deterministic, skipWhenAdmitted, reads, options. */
      fields: Readonly<Record<string, unknown>>;
      check: boolean;
      /** `none`: absent; `other`: present but not a function (registration reports it). */
      prepare: 'none' | 'function' | 'other';
    }
  /** Not an object: registration reports it as it would the value itself. */
  | { kind: 'value'; value: string | number | boolean | null | undefined }
  /** A getter threw, or a field cannot be copied out of the worker. */
  | { kind: 'unreadable'; why: string };

export interface DescribedPlugin {
  name: unknown;
  apiVersion: unknown;
  version: unknown;
  /** undefined when the plugin's `rules` is not an array (registration reports it). */
  rules: DescribedRule[] | undefined;
}

/** Options of one rule instance (one policy entry), sent to a worker once before its first call. */
export interface InstanceSetup {
  options: unknown;
  /** Set when the rule has `prepare`: the worker prepares the options itself, once. */
  entry: RuleEntryContext | undefined;
}

export interface CheckRequest {
  type: 'check';
  id: number;
  plugin: number;
  rule: number;
  /** Identifies the instance's options in this worker; undefined: `setup` comes with every call. */
  instance: number | undefined;
  setup: InstanceSetup | undefined;
  facts: unknown;
  policy: string;
  namespace: string;
  now: number;
  timeoutMs: number;
}

export type ToWorker =
  | CheckRequest
  /** The main thread gave up on a call: abort its signal. */
  | { type: 'cancel'; id: number }
  /** Drop every instance's options (the main thread forgot which this worker has). */
  | { type: 'forget' };

export type FromWorker =
  | { type: 'loading'; module: number }
  | { type: 'loaded'; plugins: DescribedPlugin[] | undefined }
  | { type: 'load-failed'; module: number; message: string }
  | { type: 'result'; id: number; result: RuleResult };

/** Slots of the control worker's shared flags: the last answered request's `seq`; 1 once loaded. */
export const ANSWERED = 0;
export const LOADED = 1;

/** A synchronous `prepare` call on the control worker. */
export interface PrepareRequest {
  seq: number;
  plugin: number;
  rule: number;
  options: unknown;
  entry: RuleEntryContext;
}

export interface PrepareAnswer {
  seq: number;
  problems: OptionProblem[];
  /** `prepare` threw (`thrown`), or the control worker could not run it. */
  error?:
    | { message: string; thrown?: boolean; code?: ErrorCode | undefined; field?: string | undefined }
    | undefined;
}
