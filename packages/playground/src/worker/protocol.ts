import type { AdmissionView } from '../core/admission.js';
import type { EvaluationResult, ExplainView } from '../core/session.js';
import type { PlaygroundState } from '../core/state.js';

/** What the page asks the engine (engine.js, in a worker or, where none can start, on the page). */
export type EngineRequest =
  | { kind: 'evaluate'; state: PlaygroundState }
  | { kind: 'admission'; objectIndex: number }
  | { kind: 'explain'; image: string };

export interface EngineAnswers {
  evaluate: EvaluationResult;
  admission: AdmissionView | undefined;
  explain: ExplainView;
}

export type EngineReply =
  | { id: number; ok: true; value: EngineAnswers[EngineRequest['kind']] }
  /** A failure of the engine itself (a bug): the page shows it, never a blank panel. */
  | { id: number; ok: false; message: string };

/** The global engine.js sets when loaded as a classic script on the page (no worker). */
export const ENGINE_GLOBAL = 'pullguardEngine';
