import { joinFieldPath } from '../documents/field-path.js';
import type { FactGroup, RuleDefinition } from '../rule-contract.js';
import { INSTANCE_READS, type WithInstanceReads } from './instance-reads.js';
import { type CompiledLogic, compileLogic, LogicError, truthy } from './json-logic/compile.js';
import { compileMessageTemplate, type MessageTemplate } from './json-logic/message-template.js';

export const EXPRESSION_RULE = 'expression';

interface Prepared extends WithInstanceReads {
  logic: CompiledLogic | undefined;
  message: MessageTemplate;
}

/**
 * `- rule: expression` with `id`, `when` (JSON Logic over the Facts of one image; truthy = violation)
 * and `message` (placeholders such as `{{image.familiar}}`). Compiled at policy load; an invalid
 * expression is a POLICY_BAD_EXPRESSION error at the offending field.
 */
export const expression: RuleDefinition<unknown, Prepared> = {
  id: EXPRESSION_RULE,
  description: 'A JSON Logic condition over the image facts: when it is true, the image violates the policy.',
  defaultAction: 'deny',
  prepare(_options, entry, report) {
    const problem = (error: unknown, field: string) => {
      const at = error instanceof LogicError ? joinFieldPath(field, error.path) : field;
      report({
        message: error instanceof Error ? error.message : String(error),
        field: at,
        scope: 'entry',
        code: 'POLICY_BAD_EXPRESSION',
      });
    };
    let logic: CompiledLogic | undefined;
    if (entry.entry['when'] === undefined) {
      report({
        message: 'an expression rule needs `when`',
        field: 'when',
        scope: 'entry',
        code: 'POLICY_BAD_EXPRESSION',
      });
    } else {
      try {
        logic = compileLogic(entry.entry['when']);
      } catch (error) {
        problem(error, 'when');
      }
    }
    const id = typeof entry.entry['id'] === 'string' ? entry.entry['id'] : EXPRESSION_RULE;
    const text = entry.entry['message'];
    let message = compileMessageTemplate(`{{image.raw}} matches the condition of ${id}`);
    if (typeof text === 'string') {
      try {
        message = compileMessageTemplate(text);
      } catch (error) {
        problem(error, 'message');
      }
    }
    const reads: FactGroup[] | undefined =
      logic?.reads === undefined ? undefined : [...new Set([...logic.reads, ...message.reads])];
    return { logic, message, [INSTANCE_READS]: reads };
  },
  check(facts, ctx) {
    const { logic, message } = ctx.options;
    if (logic !== undefined && truthy(logic.evaluate(facts))) return ctx.fail(message.render(facts));
  },
};
