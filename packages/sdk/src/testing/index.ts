// @pullguard/sdk/testing: a harness for plugin authors, usable from any test runner.
export {
  expectFindings,
  type FindingExpectation,
  type FindingsAssertion,
  type TextExpectation,
} from './expect-findings.js';
export {
  createRuleTester,
  type RuleRun,
  type RuleTester,
  type RuleTesterOptions,
  TEST_POLICY_NAME,
} from './rule-tester.js';
