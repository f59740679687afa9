import { effectivePullPolicy, explainImage, tryParseImageReference } from '@pullguard/engine';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { renderImageExplanation } from '../explain/image-semantics.js';
import { exitCodeForError } from '../report-error.js';

/** `pullguard explain image REF`: the parsed reference and what each pull policy means for it. */
export async function runExplainImage(
  input: string,
  options: { format?: 'text' | 'json' },
): Promise<ExitCode> {
  const parsed = tryParseImageReference(input);
  if (!parsed.ok) {
    const { error } = parsed;
    // The parser says where ("… at offset N"): point at it under the input.
    const offset = /at offset (\d+)/.exec(error.message)?.[1];
    const caret = offset === undefined ? '' : `\n  ${input}\n  ${' '.repeat(Number(offset))}^`;
    process.stderr.write(`${error.code} ${error.message}${caret}\n`);
    return exitCodeForError(error);
  }
  const explanation = explainImage(input, parsed.reference, effectivePullPolicy({ image: input }));
  process.stdout.write(
    options.format === 'json'
      ? `${JSON.stringify(explanation, null, 2)}\n`
      : renderImageExplanation(explanation),
  );
  return EXIT.ok;
}
